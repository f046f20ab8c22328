using System.CommandLine;
using System.Text.Json;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Cli;

/// <summary>The <c>dump</c> verb: prints one file's header in the DICOM JSON model, or the reason it cannot be read.</summary>
internal static class DumpCommand
{
    /// <summary>Writes compact JSON again, indented: parsed and written as it is, however deep the header's sequences.</summary>
    internal static void WriteIndented(ReadOnlySpan<byte> json, Stream output)
    {
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = DicomJsonWriter.MaxJsonDepth });
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true, MaxDepth = DicomJsonWriter.MaxJsonDepth, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        document.WriteTo(writer);
    }

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A DICOM file." };
        var command = new Command("dump", "Print a file's header (up to Pixel Data) as DICOM JSON (PS3.18 Annex F).") { file };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var info = parseResult.GetValue(file)!;
            if (!info.Exists)
            {
                await Console.Error.WriteLineAsync($"nccid-batch dump: '{info.FullName}' does not exist.").ConfigureAwait(false);
                return 2;
            }

            var store = new LocalFileStore(info.DirectoryName!);
            var stored = new StoredObject(info.Name, info.Length, info.LastWriteTimeUtc);
            using var reader = new HeaderReader(DicomReadOptions.Default);
            var result = await reader.ReadAsync(store, stored, cancellationToken).ConfigureAwait(false);
            if (result.Status == DicomParseStatus.Error)
            {
                await Console.Error.WriteLineAsync($"{info.FullName}: {result.Error}").ConfigureAwait(false);
                return 1;
            }

            var header = reader.Header;
            using (var stdout = Console.OpenStandardOutput())
            {
                WriteIndented(new DicomJsonWriter().Write(header), stdout);
            }

            Console.WriteLine();
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var stop = header.PixelData is { } px
                ? string.Create(inv, $", stopped at {DicomParser.Describe(px.Tag)} length {px.Length?.ToString(inv) ?? "undefined"} at offset {px.ValueOffset}")
                : ", no pixel data";
            Console.Error.WriteLine(string.Create(inv,
                $"transfer syntax {header.Syntax.Uid} (declared {header.DeclaredTransferSyntaxUid ?? "none"}), {header.TopLevelCount} top-level elements, {result.BytesRead} bytes read{stop}"));
            return 0;
        });
        return command;
    }
}

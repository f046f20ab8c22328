using System.Buffers;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Cli;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Tests.Cli;

public sealed class DumpCommandTests
{
    [Fact]
    public void A_header_nested_deeper_than_the_json_readers_default_is_indented_whole()
    {
        // The DICOM JSON shape of 500 nested sequences (element object, Value array, item object: 1,501 levels), where
        // System.Text.Json stops at 64 by default.
        const int sequences = 500;
        var compact = new StringBuilder();
        for (var i = 0; i < sequences; i++) compact.Append("{\"0040A730\":{\"vr\":\"SQ\",\"Value\":[");
        compact.Append("{\"00080100\":{\"vr\":\"SH\",\"Value\":[\"X\"]}}");
        for (var i = 0; i < sequences; i++) compact.Append("]}}");

        using var output = new MemoryStream();
        DumpCommand.WriteIndented(Encoding.UTF8.GetBytes(compact.ToString()), output);

        var indented = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("\n  \"0040A730\": {", indented, StringComparison.Ordinal);
        using var again = JsonDocument.Parse(output.ToArray(), new JsonDocumentOptions { MaxDepth = DicomJsonWriter.MaxJsonDepth });
        var minified = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(minified, new JsonWriterOptions { MaxDepth = DicomJsonWriter.MaxJsonDepth })) again.WriteTo(writer);
        Assert.Equal(compact.ToString(), Encoding.UTF8.GetString(minified.WrittenSpan));
    }
}

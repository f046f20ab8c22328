using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Pipeline;

/// <summary>
/// A scan of one folder of hostile files: each becomes an error row with its reason while the run goes on, and the
/// good files beside them (odd names included) are read as usual. Checked through DuckDB, one row per file.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private const int MaxHeaderBytes = 1 << 20;
    private const int MaxElements = 10_000;

    private readonly TempDirectory _temp = new();

    private string Root => Path.Combine(_temp.Path, "in");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_hostile_file_becomes_an_error_row_of_its_kind_and_the_good_files_are_read()
    {
        var expected = WriteFolder();
        var store = new FaultingStore(new LocalFileStore(Root), Root);
        var options = new ScanOptions
        {
            Parallelism = 2, Window = 16,
            Read = new DicomReadOptions { MaxHeaderBytes = MaxHeaderBytes, MaxElements = MaxElements },
        };
        var outputFolder = Path.Combine(_temp.Path, "out");
        var clock = Stopwatch.StartNew();
        var summary = await InstanceScan.RunAsync(store, outputFolder, options, new ParquetPartOptions(), includeHeaderJson: false,
            TimeProvider.System, null, CancellationToken.None);
        clock.Stop();

        var table = DuckDb.Parts(Path.Combine(outputFolder, InstancesTable.Name));
        var rows = DuckDb.Query($"SELECT path, status, error FROM read_parquet({table}) ORDER BY path")
            .ToDictionary(r => (string)r[0]!, r => ((string)r[1]!, (string?)r[2]), StringComparer.Ordinal);
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(expected.Count, Convert.ToInt32(DuckDb.Scalar($"SELECT count(*) FROM read_parquet({table})")));
        Assert.Equal(expected.Count, summary.Files);
        Assert.Equal(expected.Values.Count(e => e.Kind != DicomErrorKind.None), summary.Errors);
        output.WriteLine($"deflate bomb: {new FileInfo(Path.Combine(Root, "deflate-bomb.dcm")).Length} bytes");
        foreach (var (path, row) in rows) output.WriteLine($"{path.ReplaceLineEndings("\\n")}: {row.Item1} {row.Item2}");
        foreach (var (path, (kind, reason)) in expected)
        {
            Assert.True(rows.TryGetValue(path, out var row), $"no row for {path}");
            if (kind == DicomErrorKind.None)
            {
                Assert.True(row.Item1 == InstanceRow.StatusOk, $"{path}: {row.Item2}");
                Assert.Null(row.Item2);
                continue;
            }

            Assert.Equal(InstanceRow.StatusError, row.Item1);
            Assert.NotNull(row.Item2);
            Assert.StartsWith(kind.ToString(), row.Item2, StringComparison.Ordinal);
            Assert.Contains(reason, row.Item2, StringComparison.Ordinal);
        }

        // Nothing hostile may cost the run more than a moment: no hang, no read of the declared gigabytes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the scan took {clock.Elapsed}");
        Assert.True(summary.BytesRead < 8L * MaxHeaderBytes, $"{summary.BytesRead} bytes read");
    }

    /// <summary>Writes the folder and returns, for each key, the expected error kind (None for ok) and a phrase of its reason.</summary>
    private Dictionary<string, (DicomErrorKind Kind, string Reason)> WriteFolder()
    {
        Directory.CreateDirectory(Root);
        var expected = new Dictionary<string, (DicomErrorKind, string)>(StringComparer.Ordinal);
        void Write(string key, byte[] bytes, DicomErrorKind kind, string reason)
        {
            var path = Path.Combine(Root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            expected[key] = (kind, reason);
        }

        var good = Good();
        Write("good.dcm", good, DicomErrorKind.None, string.Empty);
        Write("sub/good.dcm", good, DicomErrorKind.None, string.Empty);
        Write("with spaces and  tabs\t.dcm", good, DicomErrorKind.None, string.Empty);
        Write("ünïcødé 胸部 X線.dcm", good, DicomErrorKind.None, string.Empty);
        Write("new\nline.dcm", good, DicomErrorKind.None, string.Empty); // Linux file systems allow it.
        Write("quote'and\"semicolon;.dcm", good, DicomErrorKind.None, string.Empty);

        Write("declared-4GB.dcm", Append(good, Element(0x0029, 0x1010, "OB", 0xFFFFFFF0)), DicomErrorKind.InvalidLength, "declares 4294967280 bytes, past the end of the file");
        Write("declared-4GB-item.dcm", Append(good, Element(0x0040, 0xA730, "SQ", 0xFFFFFFFF), Item(0xFFFFFFF0)),
            DicomErrorKind.Truncated, "The file ends inside a sequence that was never closed");
        Write("deflate-bomb.dcm", DeflateBomb(), DicomErrorKind.InvalidDeflate, "inflates past 1048576 bytes");
        Write("nested-10000.dcm", Append(good, Nested(10_000)), DicomErrorKind.DepthLimitExceeded, "deeper than the limit of 64 levels");
        Write("endless-items.dcm", Append(good, Element(0x0040, 0xA730, "SQ", 0xFFFFFFFF), EndlessItems(2 * MaxElements)),
            DicomErrorKind.ElementLimitExceeded, "more than the limit of 10000 elements");
        Write("zero-bytes.dcm", [], DicomErrorKind.NotDicom, "The file is empty.");
        Write("text.dcm", "not a DICOM file at all, just some words that go on for a while"u8.ToArray(), DicomErrorKind.NotDicom, "No DICM prefix");
        Write("shrinking.dcm", good, DicomErrorKind.Unreadable, $"The file shrank from {good.Length} to {FaultingStore.ShrunkLength} bytes");
        Write("vanishing.dcm", good, DicomErrorKind.Unreadable, "The file cannot be read");
        Write("denied/a.dcm", good, DicomErrorKind.Unreadable, "The file cannot be read: Access to the path");
        Write("denied/b.dcm", good, DicomErrorKind.Unreadable, "The file cannot be read: Access to the path");

        File.CreateSymbolicLink(Path.Combine(Root, "loop-a"), Path.Combine(Root, "loop-b"));
        File.CreateSymbolicLink(Path.Combine(Root, "loop-b"), Path.Combine(Root, "loop-a"));
        expected["loop-a"] = (DicomErrorKind.Unreadable, "The file cannot be examined");
        expected["loop-b"] = (DicomErrorKind.Unreadable, "The file cannot be examined");
        Directory.CreateSymbolicLink(Path.Combine(Root, "sub", "loop-to-root"), Root);
        expected["sub/loop-to-root"] = (DicomErrorKind.Unreadable, "A symbolic link to a folder is not followed");

        // Special files list with a length of 0, so they are never opened: a read of a pipe with no writer would block
        // the worker for ever, and one of /dev/zero would never end.
        MakeFifo(Path.Combine(Root, "pipe.dcm"));
        expected["pipe.dcm"] = (DicomErrorKind.NotDicom, "The file is empty.");
        File.CreateSymbolicLink(Path.Combine(Root, "zeros.dcm"), "/dev/zero");
        expected["zeros.dcm"] = (DicomErrorKind.NotDicom, "The file is empty.");

        // Root cannot be denied a folder, so the unlistable folder is one whose entry no longer leads anywhere.
        File.CreateSymbolicLink(Path.Combine(Root, "unlistable"), Path.Combine(_temp.Path, "gone"));
        expected["unlistable"] = (DicomErrorKind.Unreadable, "A broken symbolic link");
        return expected;
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private static byte[] Good() => DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(1, 1, withPixelData: false), new DicomWriteOptions());

    /// <summary>A deflated file of about 20 KB whose data set inflates to 16 MB: one long run of zeros.</summary>
    private static byte[] DeflateBomb()
    {
        var ds = ReferenceHeaders.ChestRadiograph(1, 2, withPixelData: false);

        // The writer's file meta group declares the deflated syntax; the data set is then compressed as hard as it goes.
        var meta = DicomFileWriter.ToBytes(ds, new DicomWriteOptions { TransferSyntax = SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian });
        using var parsed = new DicomHeader();
        DicomParser.Parse(meta, meta.Length, parsed, DicomReadOptions.Default);
        ds.AddBytes(new DicomTag(0x6000, 0x3000), DicomVR.OB, new byte[16 << 20]);
        var dataSet = DicomFileWriter.ToBytes(ds, new DicomWriteOptions { IncludePreamble = false, IncludeFileMeta = false });
        using var file = new MemoryStream();
        file.Write(meta, 0, parsed.DataSetOffset);
        using (var deflate = new DeflateStream(file, CompressionLevel.SmallestSize, leaveOpen: true)) deflate.Write(dataSet);
        var bytes = file.ToArray();
        Assert.True(bytes.Length < 64 << 10, $"the bomb is {bytes.Length} bytes");
        return bytes;
    }

    /// <summary>An explicit VR little-endian element header with the given length and no value.</summary>
    private static byte[] Element(ushort group, ushort element, string vr, uint length)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), element);
        bytes[4] = (byte)vr[0];
        bytes[5] = (byte)vr[1];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    private static byte[] Item(uint length)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), length);
        return bytes;
    }

    /// <summary>Undefined-length sequences, each in an undefined-length item of the one before, never closed.</summary>
    private static byte[] Nested(int depth)
    {
        var level = Append(Element(0x0040, 0xA730, "SQ", 0xFFFFFFFF), Item(0xFFFFFFFF));
        var bytes = new byte[level.Length * depth];
        for (var i = 0; i < depth; i++) level.CopyTo(bytes, i * level.Length);
        return bytes;
    }

    /// <summary>Empty items, one after another, in a sequence that never ends.</summary>
    private static byte[] EndlessItems(int count)
    {
        var item = Item(0);
        var bytes = new byte[item.Length * count];
        for (var i = 0; i < count; i++) item.CopyTo(bytes, i * item.Length);
        return bytes;
    }

    private static byte[] Append(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, at);
            at += part.Length;
        }

        return result;
    }

    /// <summary>
    /// A local store with faults injected at read time: <c>shrinking.dcm</c> is truncated just before its first read,
    /// <c>vanishing.dcm</c> is deleted, and every file under <c>denied/</c> fails as a folder without permission does.
    /// </summary>
    private sealed class FaultingStore(LocalFileStore inner, string root) : IObjectStore
    {
        public const int ShrunkLength = 300;

        public string Description => inner.Description;

        public IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            var path = Path.Combine(root, storedObject.Key);
            if (storedObject.Key == "shrinking.dcm" && new FileInfo(path).Length > ShrunkLength)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
                stream.SetLength(ShrunkLength);
            }

            if (storedObject.Key == "vanishing.dcm") File.Delete(path);
            if (storedObject.Key.StartsWith("denied/", StringComparison.Ordinal))
            {
                throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            }

            return inner.ReadAsync(storedObject, offset, destination, cancellationToken);
        }
    }
}

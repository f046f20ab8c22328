using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Tables;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Pipeline;

/// <summary>
/// Guards the per-file cost of a scan without timing anything: allocated bytes are deterministic where times are
/// not, so a change that adds an allocation per element or per file fails here on any machine.
/// </summary>
public sealed class AllocationBudgetTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// Bytes one file may allocate to be read (<see cref="HeaderReader"/> over <see cref="LocalFileStore"/>) and
    /// projected without header_json. Measured here: 3.2 KB per file (a Debug build; in Release the benchmarks give
    /// 160 B for the read and 2.4 KB for a radiograph's projection, 2.8 KB for a CT slice's). Nearly all of it is
    /// the output and cannot go: the <see cref="InstanceRow"/> object (about 520 B of fields) and its 25-odd
    /// strings and small arrays of values (about 2 KB); the rest is the path and handle of the open and, in Debug,
    /// the async state machines, which Debug builds allocate even when a call completes synchronously.
    /// The budget is about twice that: it fails on an allocation per element (250 elements × 24 B is 6 KB) or a
    /// buffer per file, not on a longer UID.
    /// </summary>
    private const long BytesPerFileBudget = 6_500;

    private const int CtSlicesPerEncoding = 60;
    private const int RadiographsPerEncoding = 6;

    private static readonly SyntheticTransferSyntax[] Encodings =
    [
        SyntheticTransferSyntax.ExplicitVRLittleEndian, SyntheticTransferSyntax.ImplicitVRLittleEndian, SyntheticTransferSyntax.ExplicitVRBigEndian,
    ];

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reading_and_projecting_a_file_stays_within_its_allocation_budget()
    {
        var objects = WriteReferenceFiles();
        var store = new LocalFileStore(_folder.Path);
        using var reader = new HeaderReader(DicomReadOptions.Default);
        var projector = new InstanceProjector(includeHeaderJson: false);
        var statuses = new string[objects.Count];

        // Warm-up: JIT, the character set cache and the header's index arrays reach their steady state.
        await ReadAndProjectAll(store, reader, projector, objects, statuses);

        var thread = Environment.CurrentManagedThreadId;
        var before = GC.GetAllocatedBytesForCurrentThread();
        await ReadAndProjectAll(store, reader, projector, objects, statuses);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The local store completes every read synchronously, so the whole pass ran on this thread and was counted.
        Assert.Equal(thread, Environment.CurrentManagedThreadId);
        Assert.All(statuses, s => Assert.Equal(InstanceRow.StatusOk, s));
        var perFile = allocated / objects.Count;
        output.WriteLine($"{allocated:N0} bytes for {objects.Count} files: {perFile:N0} bytes per file (budget {BytesPerFileBudget:N0})");
        Assert.InRange(perFile, 1, BytesPerFileBudget);
    }

    [Theory]
    [InlineData(SyntheticTransferSyntax.ExplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ImplicitVRLittleEndian)]
    [InlineData(SyntheticTransferSyntax.ExplicitVRBigEndian)]
    public void Parser_allocates_nothing_when_re_parsing_a_ct_header_into_a_grown_index(SyntheticTransferSyntax syntax)
    {
        var bytes = DicomFileWriter.ToBytes(ReferenceHeaders.ChestCtSlice(3, 9, withPixelData: false), new DicomWriteOptions { TransferSyntax = syntax });
        using var header = new DicomHeader();
        Assert.Equal(DicomParseStatus.Complete, DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default));
        var elements = header.Count;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var complete = 0;
        for (var i = 0; i < 1_000; i++)
        {
            if (DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default) == DicomParseStatus.Complete) complete++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1_000, complete);
        Assert.Equal(elements, header.Count);
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// CT slices and radiographs in the three native encodings. They are written without their pixel data, which
    /// the reader never touches: a smaller file only means the first read is shorter, which allocates the same.
    /// </summary>
    private List<StoredObject> WriteReferenceFiles()
    {
        var objects = new List<StoredObject>();
        foreach (var syntax in Encodings)
        {
            for (var i = 0; i < CtSlicesPerEncoding + RadiographsPerEncoding; i++)
            {
                var dataSet = i < CtSlicesPerEncoding
                    ? ReferenceHeaders.ChestCtSlice(i / 20, i, withPixelData: false)
                    : ReferenceHeaders.ChestRadiograph(i, 0, withPixelData: false);
                var key = $"{syntax}-{i:D3}.dcm";
                var bytes = DicomFileWriter.ToBytes(dataSet, new DicomWriteOptions { TransferSyntax = syntax });
                File.WriteAllBytes(Path.Combine(_folder.Path, key), bytes);
                objects.Add(new StoredObject(key, bytes.Length, new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
            }
        }

        return objects;
    }

    private static async Task ReadAndProjectAll(
        LocalFileStore store, HeaderReader reader, InstanceProjector projector, List<StoredObject> objects, string[] statuses)
    {
        for (var i = 0; i < objects.Count; i++)
        {
            var pending = reader.ReadAsync(store, objects[i], CancellationToken.None);
            if (!pending.IsCompletedSuccessfully) throw new InvalidOperationException("The local store is expected to read synchronously.");
            var row = projector.Project(objects[i], reader, await pending);
            statuses[i] = row.Status;
        }
    }
}

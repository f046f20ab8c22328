using System.Buffers.Binary;
using System.Diagnostics;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Synthetic;
using Nccid.Batch.Tests.Fixtures;
using Xunit.Abstractions;

namespace Nccid.Batch.Tests.Dicom;

/// <summary>
/// A deterministic mutation run: every public test file under 64 KiB and a few synthetic files, each mutated many
/// times by a seeded mutator (byte flips, insertions, deletions, truncations, length fields overwritten with huge or
/// small values, tags swapped), each mutant parsed whole. The seed is fixed, so a failure names a case that replays.
/// </summary>
public sealed class MutationPropertyTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_125;
    private const int MutantsPerSource = 40;
    private const int MaxSourceBytes = 64 << 10;

    /// <summary>Only catches hangs: a mutant parses in microseconds, a loop that never ends takes forever.</summary>
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(2);

    /// <summary>A parse of a 64 KiB input builds an index of a few thousand elements; 1 MB means something grew unbounded.</summary>
    private const long AllocationBound = 1 << 20;

    private static readonly uint[] HugeLengths = [0xFFFFFFFF, 0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, 0x0FFFFFFF, 0x00100000];
    private static readonly uint[] SmallLengths = [0, 1, 2, 3, 4, 7, 8];

    private enum Mutation
    {
        FlipBytes,
        Insert,
        Delete,
        Truncate,
        HugeLength,
        SmallLength,
        SwapTags,
    }

    [Fact]
    public void Every_mutant_parses_to_complete_or_error_in_bounded_time_and_memory()
    {
        var sources = Sources();
        Assert.True(sources.Count >= 60, $"only {sources.Count} source files");
        var random = new Random(Seed);
        using var header = new DicomHeader();
        var counts = new Dictionary<DicomParseStatus, int>();
        var mutations = new Dictionary<Mutation, int>();
        var errorKinds = new Dictionary<DicomErrorKind, int>();
        var cases = 0;
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        foreach (var (name, bytes) in sources)
        {
            var layout = Layout(bytes);

            // The original first: warms the header's index arrays so a mutant is charged for what it allocates itself.
            DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
            for (var i = 0; i < MutantsPerSource; i++)
            {
                var kind = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
                var mutant = Mutate(bytes, layout, kind, random);
                var label = $"{name} mutant {i} ({kind}, seed {Seed})";
                var (status, elapsed, allocated) = Measure(mutant, header, label);
                Assert.True(status is DicomParseStatus.Complete or DicomParseStatus.Error, $"{label}: {status} for a whole file");
                if (status == DicomParseStatus.Error)
                {
                    Assert.NotEqual(DicomErrorKind.None, header.Error.Kind);
                    Assert.False(string.IsNullOrWhiteSpace(header.Error.Message), label);
                    Assert.NotEqual(DicomErrorKind.Internal, header.Error.Kind);
                    errorKinds[header.Error.Kind] = errorKinds.GetValueOrDefault(header.Error.Kind) + 1;
                }

                Assert.True(elapsed < TimeBound, $"{label}: took {elapsed.TotalMilliseconds:N0} ms");
                if (mutant.Length <= MaxSourceBytes)
                {
                    Assert.True(allocated < AllocationBound, $"{label}: allocated {allocated:N0} bytes");
                }

                counts[status] = counts.GetValueOrDefault(status) + 1;
                mutations[kind] = mutations.GetValueOrDefault(kind) + 1;
                if (elapsed > slowest) slowest = elapsed;
                if (allocated > mostAllocated) mostAllocated = allocated;
                cases++;
            }
        }

        output.WriteLine($"{cases} mutants of {sources.Count} files; slowest {slowest.TotalMilliseconds:N2} ms; most allocated {mostAllocated:N0} bytes");
        output.WriteLine(string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine(string.Join(", ", mutations.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine(string.Join(", ", errorKinds.Select(kv => $"{kv.Key} {kv.Value}")));

        // The run is only worth something if it reaches both outcomes and many kinds of error.
        Assert.True(cases >= 2_500, $"only {cases} cases");
        Assert.True(counts.GetValueOrDefault(DicomParseStatus.Complete) > cases / 10);
        Assert.True(counts.GetValueOrDefault(DicomParseStatus.Error) > cases / 10);
        Assert.True(errorKinds.Count >= 4, "error kinds reached: " + string.Join(", ", errorKinds.Keys));
        Assert.All(Enum.GetValues<Mutation>(), m => Assert.True(mutations.GetValueOrDefault(m) > 100, $"{m} ran {mutations.GetValueOrDefault(m)} times"));
    }

    [Fact]
    public async Task Every_mutant_read_in_growing_ranges_gives_the_same_outcome_as_parsed_whole()
    {
        // The header reader's loop of range reads must end on every input, and a header read in pieces must fail
        // (or succeed) as the whole file does.
        var sources = Sources();
        var random = new Random(Seed + 1);
        using var whole = new DicomHeader();
        using var reader = new HeaderReader(DicomReadOptions.Default, initialReadBytes: 256);
        var cases = 0;
        var multiRead = 0;
        foreach (var (name, bytes) in sources)
        {
            var layout = Layout(bytes);
            for (var i = 0; i < MutantsPerSource / 4; i++)
            {
                var kind = (Mutation)random.Next(Enum.GetValues<Mutation>().Length);
                var mutant = Mutate(bytes, layout, kind, random);
                var label = $"{name} mutant {i} ({kind}, seed {Seed + 1})";
                var expected = DicomParser.Parse(mutant, mutant.Length, whole, DicomReadOptions.Default);
                var result = await reader.ReadAsync(new MemoryStore(mutant), new StoredObject("m.dcm", mutant.Length, default), CancellationToken.None);
                Assert.True(expected == result.Status, $"{label}: whole {expected} {whole.Error}, in ranges {result.Status} {result.Error}");
                Assert.Equal(whole.Error.Kind, result.Error.Kind);
                Assert.True(result.Requests <= 32, $"{label}: {result.Requests} reads");
                if (result.Requests > 1) multiRead++;
                cases++;
            }
        }

        Assert.True(cases >= 700, $"only {cases} cases");
        Assert.True(multiRead > cases / 4, $"only {multiRead} of {cases} took more than one read");
    }

    [Fact]
    public void The_same_seed_gives_the_same_mutants()
    {
        var bytes = DicomFileWriter.ToBytes(ReferenceHeaders.ChestCtSlice(1, 2, withPixelData: false), new DicomWriteOptions());
        var layout = Layout(bytes);
        var first = new Random(Seed);
        var second = new Random(Seed);
        for (var i = 0; i < 50; i++)
        {
            var kind = (Mutation)(i % Enum.GetValues<Mutation>().Length);
            Assert.Equal(Mutate(bytes, layout, kind, first), Mutate(bytes, layout, kind, second));
        }
    }

    private static (DicomParseStatus Status, TimeSpan Elapsed, long Allocated) Measure(byte[] mutant, DicomHeader header, string label)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        DicomParseStatus status;
        try
        {
            status = DicomParser.Parse(mutant, mutant.Length, header, DicomReadOptions.Default);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{label}: threw {ex}");
            throw;
        }

        clock.Stop();
        return (status, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static List<(string Name, byte[] Bytes)> Sources()
    {
        var sources = new List<(string, byte[])>();
        foreach (var path in PublicDicomFiles.All())
        {
            if (new FileInfo(path).Length <= MaxSourceBytes) sources.Add((Path.GetFileName(path), File.ReadAllBytes(path)));
        }

        foreach (var syntax in new[]
                 {
                     SyntheticTransferSyntax.ExplicitVRLittleEndian, SyntheticTransferSyntax.ImplicitVRLittleEndian,
                     SyntheticTransferSyntax.ExplicitVRBigEndian, SyntheticTransferSyntax.DeflatedExplicitVRLittleEndian,
                 })
        {
            var options = new DicomWriteOptions { TransferSyntax = syntax };
            sources.Add(("synthetic CT " + syntax, DicomFileWriter.ToBytes(ReferenceHeaders.ChestCtSlice(7, 11, withPixelData: false), options)));
            sources.Add(("synthetic radiograph " + syntax, DicomFileWriter.ToBytes(ReferenceHeaders.ChestRadiograph(7, 1, withPixelData: false), options)));
        }

        var nested = new DicomDataSetBuilder().AddString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT");
        var inner = nested.CreateItem().AddString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "T-D3000");
        var middle = nested.CreateItem().AddSequence(new DicomTag(0x0040, 0xA730), [inner, inner], undefinedLength: true, undefinedItemLength: true);
        nested.AddSequence(new DicomTag(0x0040, 0xA730), [middle, middle], undefinedLength: false);
        nested.AddString(new DicomTag(0x0010, 0x0020), DicomVR.LO, "P-0001");
        sources.Add(("synthetic nested sequences", DicomFileWriter.ToBytes(nested, new DicomWriteOptions())));
        return sources;
    }

    /// <summary>Where the original's element headers are: tag offsets and length-field offsets (with their width).</summary>
    private static List<(int TagOffset, int LengthOffset, int LengthWidth, bool BigEndian)> Layout(byte[] bytes)
    {
        using var header = new DicomHeader();
        var layout = new List<(int, int, int, bool)>();
        DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default);
        if (header.Syntax.Deflated) return layout; // Offsets refer to the inflated copy, not to the file.
        for (var i = 0; i < header.Count; i++)
        {
            var e = header[i];
            var implicitOrItem = e.IsItem || (e.Flags & DicomElementFlags.ImplicitVR) != 0;
            var longLength = implicitOrItem || DicomVRInfo.HasLongLength(e.VR) || e.VR == DicomVR.SQ;
            var headerSize = implicitOrItem ? 8 : longLength ? 12 : 8;
            var tagOffset = e.ValueOffset - headerSize;
            if (tagOffset < 0 || e.ValueOffset > bytes.Length) continue;
            layout.Add((tagOffset, longLength ? e.ValueOffset - 4 : e.ValueOffset - 2, longLength ? 4 : 2, e.IsBigEndian));
        }

        return layout;
    }

    private static byte[] Mutate(byte[] source, List<(int TagOffset, int LengthOffset, int LengthWidth, bool BigEndian)> layout, Mutation kind, Random random)
    {
        var bytes = (byte[])source.Clone();
        switch (kind)
        {
            case Mutation.FlipBytes:
            {
                var flips = 1 + random.Next(8);
                for (var i = 0; i < flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
                return bytes;
            }

            case Mutation.Insert:
            {
                var at = random.Next(bytes.Length + 1);
                var inserted = new byte[1 + random.Next(16)];
                random.NextBytes(inserted);
                return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
            }

            case Mutation.Delete:
            {
                var at = random.Next(bytes.Length);
                var count = Math.Min(1 + random.Next(16), bytes.Length - at);
                return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)];
            }

            case Mutation.Truncate:
                return bytes[..random.Next(bytes.Length)];

            case Mutation.HugeLength or Mutation.SmallLength:
            {
                var values = kind == Mutation.HugeLength ? HugeLengths : SmallLengths;
                var value = values[random.Next(values.Length)];
                if (layout.Count == 0)
                {
                    // No known layout (a deflated file): overwrite any aligned 32-bit word.
                    var at = random.Next(Math.Max(1, bytes.Length / 4)) * 4;
                    if (at + 4 <= bytes.Length) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                    return bytes;
                }

                var (_, offset, width, big) = layout[random.Next(layout.Count)];
                if (width == 4)
                {
                    if (big) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), value);
                    else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
                }
                else
                {
                    var shortValue = (ushort)Math.Min(value, ushort.MaxValue);
                    if (big) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset), shortValue);
                    else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), shortValue);
                }

                return bytes;
            }

            case Mutation.SwapTags:
            {
                if (layout.Count < 2)
                {
                    var a = random.Next(Math.Max(1, bytes.Length - 4));
                    var b = random.Next(Math.Max(1, bytes.Length - 4));
                    if (a + 4 <= bytes.Length && b + 4 <= bytes.Length) Swap(bytes, a, b);
                    return bytes;
                }

                Swap(bytes, layout[random.Next(layout.Count)].TagOffset, layout[random.Next(layout.Count)].TagOffset);
                return bytes;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>One object held in memory, read in ranges.</summary>
    private sealed class MemoryStore(byte[] bytes) : IObjectStore
    {
        public string Description => "memory";

        public IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<int> ReadAsync(StoredObject storedObject, long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            var count = (int)Math.Clamp(bytes.Length - offset, 0, destination.Length);
            bytes.AsSpan((int)offset, count).CopyTo(destination.Span);
            return ValueTask.FromResult(count);
        }
    }

    private static void Swap(byte[] bytes, int a, int b)
    {
        Span<byte> held = stackalloc byte[4];
        bytes.AsSpan(a, 4).CopyTo(held);
        bytes.AsSpan(b, 4).CopyTo(bytes.AsSpan(a, 4));
        held.CopyTo(bytes.AsSpan(b, 4));
    }
}

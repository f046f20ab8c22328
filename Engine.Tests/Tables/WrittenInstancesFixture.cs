using Nccid.Batch.Tables;
using Xunit;

namespace Nccid.Batch.Tests.Tables;

/// <summary>250,000 generated instance rows written once with 100,000-row row groups, one per part.</summary>
public sealed class WrittenInstancesFixture : IAsyncLifetime
{
    public const int RowCount = 250_000;
    public const int RowGroupSize = 100_000;

    private readonly TempDirectory _root = new();

    public string TableDirectory => Path.Combine(_root.Path, InstancesTable.Name);

    public IReadOnlyList<string> WrittenParts { get; private set; } = [];

    public long WriterRowCount { get; private set; }

    public int PartsCompletedAfterFirstRowGroup { get; private set; } = -1;

    public async Task InitializeAsync()
    {
        // Written on the adding thread, so the fixture can see a part published as soon as its row group is full.
        // Row groups by row count here; the byte cap has tests of its own.
        var options = new ParquetPartOptions { RowGroupSize = RowGroupSize, RowGroupsPerPart = 1, MaxPartsInFlight = 0, MaxRowGroupBytes = 1L << 30 };
        await using var writer = new ParquetPartWriter<InstanceRow>(TableDirectory, InstancesTable.Schema, options);
        for (var i = 0; i < RowCount; i++)
        {
            await writer.AddAsync(InstanceRows.Create(i), CancellationToken.None);
            if (i == RowGroupSize - 1)
            {
                PartsCompletedAfterFirstRowGroup = writer.WrittenParts.Count;
            }
        }

        await writer.CompleteAsync(CancellationToken.None);
        WrittenParts = [.. writer.WrittenParts];
        WriterRowCount = writer.RowCount;
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}

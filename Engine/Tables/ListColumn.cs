using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>
/// A nullable list column with non-null elements, written as flat values plus Dremel levels so that a
/// null list and an empty list stay distinct.
/// </summary>
/// <typeparam name="TRow">Row type.</typeparam>
/// <typeparam name="TItem">Element type on the row.</typeparam>
/// <typeparam name="TStored">Element type handed to Parquet.Net.</typeparam>
internal sealed class ListColumn<TRow, TItem, TStored>(
    TableColumn column,
    ListField list,
    DataField element,
    Func<TRow, IReadOnlyList<TItem>?> getter,
    Func<TItem, TStored> convert)
    : ColumnBinding<TRow>(column, list, element)
    where TStored : struct
{
    // Levels for an optional list of required elements: the list is absent (0), present but empty (1),
    // or an element is present (2). Repetition level 0 starts a row, 1 continues its list.
    private const int NullList = 0;
    private const int EmptyList = 1;
    private const int Element = 2;

    public override void Hash(TRow row, RowHash hash)
    {
        var items = getter(row);
        hash.Present(items is not null);
        if (items is null) return;
        hash.Add(items.Count);
        foreach (var item in items)
        {
            // Strings are stored as memory over their characters, which is no plain value to hash.
            if (item is string text) hash.Add(text);
            else hash.Add(convert(item));
        }
    }

    public override async Task WriteAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<TRow> rows, CancellationToken cancellationToken)
    {
        var (valueCount, levelCount) = Count(rows.Span);
        var values = ArrayPool<TStored>.Shared.Rent(valueCount);
        var definitions = ArrayPool<int>.Shared.Rent(levelCount);
        var repetitions = ArrayPool<int>.Shared.Rent(levelCount);
        try
        {
            Fill(rows.Span, values, definitions, repetitions);
            await writer.WriteAllPartsAsync<TStored>(
                Leaf,
                new ReadOnlyMemory<TStored>(values, 0, valueCount),
                new ReadOnlyMemory<int>(definitions, 0, levelCount),
                new ReadOnlyMemory<int>(repetitions, 0, levelCount),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<TStored>.Shared.Return(values, clearArray: true);
            ArrayPool<int>.Shared.Return(definitions);
            ArrayPool<int>.Shared.Return(repetitions);
        }
    }

    private (int Values, int Levels) Count(ReadOnlySpan<TRow> rows)
    {
        var valueCount = 0;
        var levelCount = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var items = getter(rows[i]);
            var count = items?.Count ?? 0;
            valueCount += count;
            levelCount += count == 0 ? 1 : count;
        }

        return (valueCount, levelCount);
    }

    private void Fill(ReadOnlySpan<TRow> rows, TStored[] values, int[] definitions, int[] repetitions)
    {
        var value = 0;
        var level = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var items = getter(rows[i]);
            if (items is null || items.Count == 0)
            {
                definitions[level] = items is null ? NullList : EmptyList;
                repetitions[level] = 0;
                level++;
                continue;
            }

            for (var j = 0; j < items.Count; j++)
            {
                values[value++] = convert(items[j]);
                definitions[level] = Element;
                repetitions[level] = j == 0 ? 0 : 1;
                level++;
            }
        }
    }
}

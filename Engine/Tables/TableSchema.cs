using Parquet;
using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>
/// A table's schema as a value: its ordered columns (for documentation and readers), the matching
/// <see cref="Parquet.Schema.ParquetSchema"/>, and a column-wise writer for batches of rows.
/// Build one with <see cref="TableSchemaBuilder{TRow}"/>.
/// </summary>
/// <typeparam name="TRow">The row model.</typeparam>
public sealed class TableSchema<TRow>
{
    private readonly ColumnBinding<TRow>[] _bindings;
    private readonly List<DataField> _stringLeaves;

    internal TableSchema(string name, string description, ColumnBinding<TRow>[] bindings)
    {
        Name = name;
        Description = description;
        _bindings = bindings;
        var columns = new TableColumn[bindings.Length];
        var fields = new Field[bindings.Length];
        var stringLeaves = new List<DataField>();
        for (var i = 0; i < bindings.Length; i++)
        {
            columns[i] = bindings[i].Column;
            fields[i] = bindings[i].SchemaField;
            if (bindings[i].Column.Type is ColumnType.String or ColumnType.StringList)
            {
                stringLeaves.Add(bindings[i].Leaf);
            }
        }

        Columns = columns;
        ParquetSchema = new ParquetSchema(fields);
        _stringLeaves = stringLeaves;
    }

    /// <summary>
    /// A fingerprint of <paramref name="rows"/>' values in this schema (its columns' names and types, then every value in
    /// order; a 128-bit hash): equal rows give equal fingerprints, so a part of an earlier output labelled with it holds
    /// the rows a new one would (<see cref="PartReuse"/>).
    /// </summary>
    public string ContentFingerprint(IEnumerable<TRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var hash = new RowHash();
        hash.Add(Name);
        foreach (var column in Columns)
        {
            hash.Add(column.Name);
            hash.Add((int)column.Type);
            hash.Present(column.Nullable);
        }

        long count = 0;
        foreach (var row in rows)
        {
            foreach (var binding in _bindings) binding.Hash(row, hash);
            count++;
        }

        hash.Add(count);
        return "content-" + hash.Hex();
    }

    /// <summary>The table's name, which is also its folder name in an output directory.</summary>
    public string Name { get; }

    /// <summary>Estimates a row's size in memory, for tables with wide rows; null when rows are small.</summary>
    public Func<TRow, long>? EstimateRowBytes { get; private set; }

    /// <summary>Sets <see cref="EstimateRowBytes"/> (once, while the schema is being defined) and returns the schema.</summary>
    public TableSchema<TRow> WithRowSizeEstimate(Func<TRow, long> estimate)
    {
        EstimateRowBytes = estimate;
        return this;
    }

    /// <summary>
    /// Leaves the named string columns out of dictionary encoding (once, while the schema is being defined) and returns
    /// the schema. For columns whose values are unique by nature (paths, SOP Instance UIDs, whole headers): the encoder
    /// would hash half of a chunk's values before giving up, which for header_json is megabytes per row group.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a string column of this table.</exception>
    public TableSchema<TRow> WithoutDictionary(params string[] columnNames)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        foreach (var name in columnNames)
        {
            var binding = _bindings.FirstOrDefault(b => b.Column.Name == name && b.Column.Type == ColumnType.String)
                ?? throw new ArgumentException($"Table '{Name}' has no string column '{name}'.", nameof(columnNames));
            _stringLeaves.Remove(binding.Leaf);
        }

        return this;
    }

    /// <summary>What one row of the table is, for the documentation.</summary>
    public string Description { get; }

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The Parquet schema every part file of this table is written with.</summary>
    public ParquetSchema ParquetSchema { get; }

    /// <summary>
    /// The value fields of string and string-list columns tried as dictionaries (kept when at most
    /// <see cref="ParquetPartOptions.DictionaryEncodingThreshold"/> of their values are distinct).
    /// </summary>
    internal IReadOnlyList<DataField> StringLeaves => _stringLeaves;

    /// <summary>
    /// Writes <paramref name="rows"/> as one row group of <paramref name="writer"/>, column by column, so only
    /// one column's values are materialised at a time. <paramref name="writer"/> must use <see cref="ParquetSchema"/>.
    /// </summary>
    public async Task WriteRowGroupAsync(ParquetWriter writer, ReadOnlyMemory<TRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var rowGroup = writer.CreateRowGroup();
        foreach (var binding in _bindings)
        {
            await binding.WriteAsync(rowGroup, rows, cancellationToken).ConfigureAwait(false);
        }

        rowGroup.CompleteValidate();
    }
}

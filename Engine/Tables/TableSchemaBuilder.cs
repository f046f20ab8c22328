using Parquet.Schema;

namespace Nccid.Batch.Tables;

/// <summary>
/// Declares a table one column per line: name, description and getter. Value-type columns are nullable
/// exactly when the getter returns a nullable type; string columns are nullable unless declared with
/// <see cref="RequiredString"/>; list columns are always nullable (a null list differs from an empty one).
/// </summary>
/// <typeparam name="TRow">The row model.</typeparam>
/// <param name="tableName">Table name, also its folder name in an output directory.</param>
/// <param name="description">What one row of the table is, for the documentation.</param>
public sealed class TableSchemaBuilder<TRow>(string tableName, string description)
{
    private const string ListElementName = "element";

    private readonly List<ColumnBinding<TRow>> _bindings = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Adds a nullable string column.</summary>
    public TableSchemaBuilder<TRow> String(string name, string description, Func<TRow, string?> getter) =>
        AddString(name, description, nullable: true, getter);

    /// <summary>Adds a string column that must have a value in every row.</summary>
    public TableSchemaBuilder<TRow> RequiredString(string name, string description, Func<TRow, string?> getter) =>
        AddString(name, description, nullable: false, getter);

    /// <summary>Adds a non-nullable 32-bit integer column.</summary>
    public TableSchemaBuilder<TRow> Int32(string name, string description, Func<TRow, int> getter) =>
        AddRequired(name, ColumnType.Int32, description, new DataField<int>(name, false), getter);

    /// <summary>Adds a nullable 32-bit integer column.</summary>
    public TableSchemaBuilder<TRow> Int32(string name, string description, Func<TRow, int?> getter) =>
        AddNullable(name, ColumnType.Int32, description, new DataField<int>(name, true), getter);

    /// <summary>Adds a non-nullable 64-bit integer column.</summary>
    public TableSchemaBuilder<TRow> Int64(string name, string description, Func<TRow, long> getter) =>
        AddRequired(name, ColumnType.Int64, description, new DataField<long>(name, false), getter);

    /// <summary>Adds a nullable 64-bit integer column.</summary>
    public TableSchemaBuilder<TRow> Int64(string name, string description, Func<TRow, long?> getter) =>
        AddNullable(name, ColumnType.Int64, description, new DataField<long>(name, true), getter);

    /// <summary>Adds a non-nullable double column.</summary>
    public TableSchemaBuilder<TRow> Double(string name, string description, Func<TRow, double> getter) =>
        AddRequired(name, ColumnType.Double, description, new DataField<double>(name, false), getter);

    /// <summary>Adds a nullable double column.</summary>
    public TableSchemaBuilder<TRow> Double(string name, string description, Func<TRow, double?> getter) =>
        AddNullable(name, ColumnType.Double, description, new DataField<double>(name, true), getter);

    /// <summary>Adds a non-nullable boolean column.</summary>
    public TableSchemaBuilder<TRow> Boolean(string name, string description, Func<TRow, bool> getter) =>
        AddRequired(name, ColumnType.Boolean, description, new DataField<bool>(name, false), getter);

    /// <summary>Adds a nullable boolean column.</summary>
    public TableSchemaBuilder<TRow> Boolean(string name, string description, Func<TRow, bool?> getter) =>
        AddNullable(name, ColumnType.Boolean, description, new DataField<bool>(name, true), getter);

    /// <summary>Adds a non-nullable date column (Parquet DATE).</summary>
    public TableSchemaBuilder<TRow> Date(string name, string description, Func<TRow, DateOnly> getter) =>
        AddRequired(name, ColumnType.Date, description, new DataField<DateOnly>(name, false), getter);

    /// <summary>Adds a nullable date column (Parquet DATE).</summary>
    public TableSchemaBuilder<TRow> Date(string name, string description, Func<TRow, DateOnly?> getter) =>
        AddNullable(name, ColumnType.Date, description, new DataField<DateOnly>(name, true), getter);

    /// <summary>
    /// Adds a non-nullable UTC timestamp column (Parquet TIMESTAMP in microseconds). A value of
    /// <see cref="DateTimeKind.Local"/> is rejected when written: converting it would depend on the machine's zone.
    /// </summary>
    public TableSchemaBuilder<TRow> Timestamp(string name, string description, Func<TRow, DateTime> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        return AddRequired(name, ColumnType.Timestamp, description, TimestampField(name, false), row => RequireUtc(name, getter(row)));
    }

    /// <summary>Adds a nullable UTC timestamp column; see the non-nullable overload for the rules.</summary>
    public TableSchemaBuilder<TRow> Timestamp(string name, string description, Func<TRow, DateTime?> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        return AddNullable<DateTime>(name, ColumnType.Timestamp, description, TimestampField(name, true), row =>
        {
            var value = getter(row);
            return value is null ? null : RequireUtc(name, value.Value);
        });
    }

    /// <summary>Adds a nullable list-of-strings column; elements must not be null.</summary>
    public TableSchemaBuilder<TRow> StringList(string name, string description, Func<TRow, IReadOnlyList<string>?> getter)
    {
        var element = new DataField<string>(ListElementName, false);
        var column = new TableColumn(name, ColumnType.StringList, true, description);
        return Add(new ListColumn<TRow, string, ReadOnlyMemory<char>>(column, new ListField(name, element), element, getter, item =>
            item is null
                ? throw new InvalidOperationException($"Column '{name}' holds a list with a null element.")
                : item.AsMemory()));
    }

    /// <summary>Adds a nullable list-of-doubles column.</summary>
    public TableSchemaBuilder<TRow> DoubleList(string name, string description, Func<TRow, IReadOnlyList<double>?> getter)
    {
        var element = new DataField<double>(ListElementName, false);
        var column = new TableColumn(name, ColumnType.DoubleList, true, description);
        return Add(new ListColumn<TRow, double, double>(column, new ListField(name, element), element, getter, static item => item));
    }

    /// <summary>Creates the schema with the columns in the order they were added.</summary>
    public TableSchema<TRow> Build()
    {
        if (_bindings.Count == 0)
        {
            throw new InvalidOperationException($"Table '{tableName}' has no columns.");
        }

        return new TableSchema<TRow>(tableName, description, [.. _bindings]);
    }

    private static DateTimeDataField TimestampField(string name, bool nullable) =>
        // Not adjusted to UTC in Parquet terms so that readers show a plain TIMESTAMP, not one with a zone;
        // every value is UTC by contract and the column's name or description says so.
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: nullable);

    private static DateTime RequireUtc(string name, DateTime value) =>
        value.Kind == DateTimeKind.Local
            ? throw new InvalidOperationException($"Column '{name}' holds a local time; timestamps must be UTC.")
            : value;

    private TableSchemaBuilder<TRow> AddString(string name, string description, bool nullable, Func<TRow, string?> getter) =>
        Add(new StringColumn<TRow>(new TableColumn(name, ColumnType.String, nullable, description), new DataField<string>(name, nullable), getter));

    private TableSchemaBuilder<TRow> AddRequired<T>(string name, ColumnType type, string description, DataField field, Func<TRow, T> getter)
        where T : struct =>
        Add(new RequiredValueColumn<TRow, T>(new TableColumn(name, type, false, description), field, getter));

    private TableSchemaBuilder<TRow> AddNullable<T>(string name, ColumnType type, string description, DataField field, Func<TRow, T?> getter)
        where T : struct =>
        Add(new NullableValueColumn<TRow, T>(new TableColumn(name, type, true, description), field, getter));

    private TableSchemaBuilder<TRow> Add(ColumnBinding<TRow> binding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(binding.Column.Name);
        if (!_names.Add(binding.Column.Name))
        {
            throw new ArgumentException($"Table '{tableName}' already has a column named '{binding.Column.Name}'.");
        }

        _bindings.Add(binding);
        return this;
    }
}

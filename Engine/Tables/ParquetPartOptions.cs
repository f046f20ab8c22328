using System.Globalization;
using System.IO.Compression;

namespace Nccid.Batch.Tables;

/// <summary>How a <see cref="ParquetPartWriter{TRow}"/> lays out and encodes part files.</summary>
public sealed record ParquetPartOptions
{
    /// <summary>The default number of rows per row group.</summary>
    public const int DefaultRowGroupSize = 8_192;

    /// <summary>
    /// Rows per row group; also the most rows a writer holds while it fills a group. Default 8,192: the release's
    /// tables of patients, studies, series and clinical changes have a row per patient or study, and at 100,000 rows a
    /// group the join held each of them whole at a million files (the release peaked at 736 MB against 490 MB).
    /// </summary>
    public int RowGroupSize { get; init; } = DefaultRowGroupSize;

    /// <summary>
    /// Row groups per part file before the writer starts the next part (a chunk's end also ends its part). Default 8, so
    /// that smaller row groups do not mean more, smaller files.
    /// </summary>
    public int RowGroupsPerPart { get; init; } = 8;

    /// <summary>
    /// Row groups encoded at once off the adding thread, each part file on its own Parquet writer (0: every row group
    /// is written on the adding thread before <c>AddAsync</c> returns). The files are the same whatever the value;
    /// memory holds up to this many row groups more. Default 2.
    /// </summary>
    public int MaxPartsInFlight { get; init; } = 2;

    /// <summary>
    /// A row group is also written once its rows are estimated to hold this many bytes (for tables whose schema
    /// estimates row sizes), so memory stays bounded when rows are wide. Default 16 MiB: with header_json that is
    /// about 2,000 to 3,000 rows. Rows wait in memory until their group is written, long enough to outlive the
    /// collector's young generations; at 64 MiB a scan of 173,113 files peaked at twice the resident memory.
    /// </summary>
    public long MaxRowGroupBytes { get; init; } = 16L << 20;

    /// <summary>
    /// Zstandard level. Default <see cref="CompressionLevel.Fastest"/> (level 1): on a release of 173,113 files its
    /// tables took 45 MB against 50 MB at <see cref="CompressionLevel.Optimal"/> (level 3), and no more time;
    /// <see cref="CompressionLevel.SmallestSize"/>, Parquet.Net's own default, is tens of times slower.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// Dictionary-encode a string column chunk only when its share of distinct values is at most this (0 to 1).
    /// Default 0.5: beyond that a dictionary page costs more than it saves.
    /// </summary>
    public double DictionaryEncodingThreshold { get; init; } = 0.5;

    /// <summary>
    /// Values sampled to decide on dictionary encoding before scanning the whole chunk, when the chunk holds more; 0
    /// scans every value. Default 10,000, so row groups of the default size (at most 8,192 rows) are tried whole: the
    /// columns known to be unique are not tried at all (<see cref="TableSchema{TRow}.WithoutDictionary"/>), and a
    /// sample of 1,000 gave the same tables in the same time (a release of 173,113 files).
    /// </summary>
    public int DictionaryEncodingSampleSize { get; init; } = 10_000;

    /// <summary>
    /// The settings that decide a part's bytes (not <see cref="MaxPartsInFlight"/>, which decides only the timing), as
    /// text: a part is taken over by a later run only when it was laid out the same way.
    /// </summary>
    public string Layout => string.Create(CultureInfo.InvariantCulture,
        $"rows {RowGroupSize} bytes {MaxRowGroupBytes} groups/part {RowGroupsPerPart} zstd {CompressionLevel} dictionary {DictionaryEncodingThreshold:R}/{DictionaryEncodingSampleSize} encodings {EncodingPolicy}");

    // Bumped when the columns tried as dictionaries change (TableSchema.WithoutDictionary), which can change a part's bytes.
    private const int EncodingPolicy = 2;

    /// <summary>Every problem with these options, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (RowGroupSize < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"RowGroupSize is {RowGroupSize}; it must be at least 1."));
        }

        if (RowGroupsPerPart < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"RowGroupsPerPart is {RowGroupsPerPart}; it must be at least 1."));
        }

        if (MaxPartsInFlight is < 0 or > 64)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxPartsInFlight is {MaxPartsInFlight}; it must be between 0 and 64."));
        }

        if (!Enum.IsDefined(CompressionLevel))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"CompressionLevel {(int)CompressionLevel} is not a defined level."));
        }

        if (!(DictionaryEncodingThreshold is >= 0 and <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"DictionaryEncodingThreshold is {DictionaryEncodingThreshold}; it must be between 0 and 1."));
        }

        if (DictionaryEncodingSampleSize < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"DictionaryEncodingSampleSize is {DictionaryEncodingSampleSize}; it must not be negative."));
        }

        return errors;
    }
}

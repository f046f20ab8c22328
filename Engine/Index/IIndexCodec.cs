namespace Nccid.Batch.Index;

/// <summary>Turns a scan's row into an index payload and back, exactly: a decoded row writes the same table bytes.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
public interface IIndexCodec<TRow>
{
    /// <summary>What the rows are ("scan" or "audit"); part of the index's identity.</summary>
    string Kind { get; }

    /// <summary>
    /// Encodes a row. Its one large text value (header_json) is returned apart in <paramref name="text"/>, stored in its
    /// own column as it is: escaping JSON inside JSON would cost more than everything else in the entry.
    /// </summary>
    string Encode(TRow row, out string? text);

    /// <summary>Decodes what <see cref="Encode"/> made.</summary>
    TRow Decode(string payload, string? text);

    /// <summary>True when the row holds a result that depends on the run's reference date.</summary>
    bool DependsOnReferenceDate(TRow row);
}

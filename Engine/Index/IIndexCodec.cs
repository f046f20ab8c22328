namespace Nccid.Batch.Index;

/// <summary>Turns a scan's row into an index entry's payloads and back, exactly: a decoded row writes the same table bytes.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
public interface IIndexCodec<TRow>
{
    /// <summary>What the rows are ("scan" or "audit"); part of the index's identity.</summary>
    string Kind { get; }

    /// <summary>
    /// True when <see cref="Decode"/> needs the row at once; it is then loaded while the index is merged with the
    /// listing. Otherwise the row stays in the index until the table writer asks for it.
    /// </summary>
    bool DecodesRow { get; }

    /// <summary>
    /// Encodes a row: what every run needs apart (<c>Meta</c>), the row, and its one large text value (header_json),
    /// stored as it is: escaping JSON inside JSON would cost more than everything else in the entry.
    /// </summary>
    (byte[] Meta, byte[] Row, string? Text) Encode(TRow row);

    /// <summary>Decodes what <see cref="Encode"/> made (loading the row through <see cref="ScanIndexEntry.LoadRow"/> when it needs it).</summary>
    TRow Decode(ScanIndexEntry entry);

    /// <summary>True when the row holds a result that depends on the run's reference date.</summary>
    bool DependsOnReferenceDate(TRow row);
}

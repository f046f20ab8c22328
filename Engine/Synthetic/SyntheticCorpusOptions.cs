using System.Globalization;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// What corpus to generate. Defect rates are probabilities per DICOM image file (for
/// <see cref="DuplicateSopInstanceUid"/> and <see cref="NotDicom"/>: of an extra file next to it).
/// </summary>
public sealed record SyntheticCorpusOptions
{
    /// <summary>The largest corpus: pseudonyms are "C" and six digits, one per patient.</summary>
    public const int MaxPatients = 1_000_000;

    /// <summary>Number of patients (1 to <see cref="MaxPatients"/>).</summary>
    public int Patients { get; init; } = 100;

    /// <summary>The seed: the same options give byte-identical output.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The on-disk layout.</summary>
    public SyntheticCorpusLayout Layout { get; init; } = SyntheticCorpusLayout.Warehouse;

    /// <summary>Full-size images (CR/DX 2000×2500, CT 512×512, 16-bit) instead of 64×64 ones.</summary>
    public bool RealisticPixels { get; init; }

    /// <summary>Rate of fake identifiers in identifying attributes.</summary>
    public double IdentifierInTags { get; init; } = 0.02;

    /// <summary>Rate of fake identifiers in free-text attributes.</summary>
    public double IdentifierInFreeText { get; init; } = 0.02;

    /// <summary>Rate of a required attribute being removed.</summary>
    public double MissingAttribute { get; init; } = 0.02;

    /// <summary>Rate of a value that breaks its VR.</summary>
    public double MalformedAttribute { get; init; } = 0.02;

    /// <summary>Rate of an extra file reusing the image's SOPInstanceUID.</summary>
    public double DuplicateSopInstanceUid { get; init; } = 0.02;

    /// <summary>Rate of the file being cut short.</summary>
    public double Truncated { get; init; } = 0.02;

    /// <summary>Rate of an extra non-DICOM file with a .dcm name.</summary>
    public double NotDicom { get; init; } = 0.02;

    /// <summary>Returns options with every defect rate set to <paramref name="rate"/>.</summary>
    public SyntheticCorpusOptions WithAllDefectRates(double rate) => this with
    {
        IdentifierInTags = rate,
        IdentifierInFreeText = rate,
        MissingAttribute = rate,
        MalformedAttribute = rate,
        DuplicateSopInstanceUid = rate,
        Truncated = rate,
        NotDicom = rate,
    };

    /// <summary>The rate for one defect kind.</summary>
    public double RateOf(SyntheticDefectKind kind) => kind switch
    {
        SyntheticDefectKind.IdentifierInTag => IdentifierInTags,
        SyntheticDefectKind.IdentifierInFreeText => IdentifierInFreeText,
        SyntheticDefectKind.MissingAttribute => MissingAttribute,
        SyntheticDefectKind.MalformedAttribute => MalformedAttribute,
        SyntheticDefectKind.DuplicateSopInstanceUid => DuplicateSopInstanceUid,
        SyntheticDefectKind.Truncated => Truncated,
        SyntheticDefectKind.NotDicom => NotDicom,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown defect kind."),
    };

    /// <summary>Every validation failure (empty when the options are valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Patients is < 1 or > MaxPatients)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Patients must be between 1 and {MaxPatients}, got {Patients}."));
        }

        if (!Enum.IsDefined(Layout))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Layout must be Warehouse or Dropzone, got {(int)Layout}."));
        }

        foreach (var kind in Enum.GetValues<SyntheticDefectKind>())
        {
            var rate = RateOf(kind);
            if (!(rate >= 0 && rate <= 1))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} rate must be between 0 and 1, got {rate}."));
            }
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every validation failure.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid synthetic corpus options: " + string.Join(" ", errors));
        }
    }
}

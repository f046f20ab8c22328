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

    /// <summary>The most slices a generated CT series may have.</summary>
    public const int MaxCtSlices = 10_000;

    /// <summary>Number of patients (1 to <see cref="MaxPatients"/>).</summary>
    public int Patients { get; init; } = 100;

    /// <summary>The seed: the same options give byte-identical output.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The on-disk layout.</summary>
    public SyntheticCorpusLayout Layout { get; init; } = SyntheticCorpusLayout.Warehouse;

    /// <summary>
    /// The fewest slices of a generated CT series (drawn uniformly between this and <see cref="CtSlicesMax"/>).
    /// With the default 20 to 60 a patient has about 10 image files; thousands give the collection's shape of
    /// hundreds of objects per patient.
    /// </summary>
    public int CtSlicesMin { get; init; } = 20;

    /// <summary>The most slices of a generated CT series.</summary>
    public int CtSlicesMax { get; init; } = 60;

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

    /// <summary>The image files a patient has on average, from the weights the generator draws with.</summary>
    public double MeanImageFilesPerPatient => StudiesPerPatient * MeanImagesPerSeries((CtSlicesMin + CtSlicesMax) / 2.0);

    /// <summary>
    /// Options whose CT series are long enough for <paramref name="patients"/> patients to have about
    /// <paramref name="imageFiles"/> image files in all: a slice range of half to one and a half times the mean
    /// needed, at least one slice.
    /// </summary>
    public SyntheticCorpusOptions WithImageFiles(long imageFiles, int patients)
    {
        var perSeries = (double)imageFiles / Math.Max(1, patients) / StudiesPerPatient;
        var ctWeight = CorpusRun.KindWeights[1];
        var ctMean = (perSeries - MeanImagesPerSeries(0)) / ctWeight;
        var mean = (int)Math.Clamp(Math.Round(ctMean), 2, MaxCtSlices * 2 / 3);
        return this with { Patients = patients, CtSlicesMin = mean / 2, CtSlicesMax = mean * 3 / 2 };
    }

    // A patient's studies: 1 plus a draw of 0 to 3 more; each study is one series.
    private static double StudiesPerPatient
    {
        get
        {
            var mean = 1.0;
            for (var i = 0; i < CorpusRun.StudyCountWeights.Length; i++)
            {
                mean += i * CorpusRun.StudyCountWeights[i];
            }

            return mean;
        }
    }

    private static double MeanImagesPerSeries(double ctMean) =>
        CorpusRun.KindWeights[0] + (CorpusRun.KindWeights[1] * ctMean) + (CorpusRun.KindWeights[2] * (CorpusRun.MrImagesMin + CorpusRun.MrImagesMax) / 2.0);

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

        if (CtSlicesMin < 1 || CtSlicesMax < CtSlicesMin || CtSlicesMax > MaxCtSlices)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"CT slices must satisfy 1 <= minimum <= maximum <= {MaxCtSlices}, got {CtSlicesMin} to {CtSlicesMax}."));
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

using System.Globalization;
using System.Text;

namespace Nccid.Batch.Synthetic;

/// <summary>One generation run: writes patients one at a time, in index order, and counts what it wrote.</summary>
internal sealed class CorpusRun
{
    /// <summary>Weights of a patient having 1, 2, 3 or 4 studies.</summary>
    internal static readonly double[] StudyCountWeights = [0.45, 0.3, 0.17, 0.08];

    /// <summary>Weights of a study's series being a radiograph, a CT series or an MR series.</summary>
    internal static readonly double[] KindWeights = [0.87, 0.10, 0.03];

    /// <summary>The fewest and most images of an MR series.</summary>
    internal const int MrImagesMin = 12, MrImagesMax = 30;

    private const ulong ContentStream = 1;
    private const ulong DefectStream = 2;
    private const ulong ClinicalStream = 3;

    private readonly string _root;
    private readonly SyntheticCorpusOptions _options;
    private readonly SyntheticWorld _world;
    private readonly GroundTruthLedger _ledger;
    private readonly PixelSynthesizer _pixels = new();
    private readonly CancellationToken _cancellation;
    private string? _lastDirectory;
    private long _files;
    private long _dicomFiles;
    private long _clinicalFiles;
    private long _bytes;

    public CorpusRun(string root, SyntheticCorpusOptions options, SyntheticWorld world, GroundTruthLedger ledger, CancellationToken cancellation)
    {
        _root = root;
        _options = options;
        _world = world;
        _ledger = ledger;
        _cancellation = cancellation;
    }

    private bool Warehouse => _options.Layout == SyntheticCorpusLayout.Warehouse;

    public void WritePatient(int index)
    {
        var rng = SyntheticRandom.Create(_options.Seed, ContentStream, (ulong)index);
        var defects = SyntheticRandom.Create(_options.Seed, DefectStream, (ulong)index);
        var clinical = SyntheticRandom.Create(_options.Seed, ClinicalStream, (ulong)index);
        var patient = PatientFacts.Create(index, _world, rng);

        var studies = 1 + rng.PickWeighted(StudyCountWeights);
        for (var s = 0; s < studies; s++)
        {
            var series = PlanSeries(patient, s, rng);
            var submission = PatientFacts.Clamp(series.StudyDate.AddDays(rng.Between(1, 10)));
            for (var i = 0; i < series.InstanceCount; i++)
            {
                _cancellation.ThrowIfCancellationRequested();
                WriteImage(patient, series, s, i, submission, rng, defects);
            }
        }

        WriteClinicalRecords(patient, clinical);
    }

    public SyntheticCorpusSummary Summary()
    {
        var defects = new SortedDictionary<SyntheticDefectKind, int>();
        foreach (var kind in Enum.GetValues<SyntheticDefectKind>())
        {
            defects[kind] = _ledger.DefectCount(kind);
        }

        return new SyntheticCorpusSummary(_files, _dicomFiles, _clinicalFiles, _bytes, defects, _ledger.ClinicalValues);
    }

    private SeriesPlan PlanSeries(PatientFacts patient, int studyIndex, SyntheticRandom rng)
    {
        var kind = (SyntheticImagingKind)rng.PickWeighted(KindWeights);
        var centre = patient.Centre;
        var vendor = kind == SyntheticImagingKind.Xray
            ? (rng.Chance(0.8) ? centre.XrayVendor : rng.Pick(SyntheticCatalogue.Vendors))
            : (rng.Chance(0.8) ? centre.CrossSectionVendor : SyntheticCatalogue.Vendors[rng.Next(4)]);
        var syntax = (SyntheticTransferSyntax)rng.PickWeighted([0.64, 0.14, 0.04, 0.05, 0.08, 0.05]);
        if (kind != SyntheticImagingKind.Xray && syntax == SyntheticTransferSyntax.JpegBaseline)
        {
            syntax = SyntheticTransferSyntax.Jpeg2000;
        }

        var realistic = _options.RealisticPixels;
        var date = PatientFacts.Clamp(patient.SwabDate.AddDays(rng.Between(-5, 60)));
        var time = string.Create(CultureInfo.InvariantCulture, $"{rng.Between(0, 23):D2}{rng.Between(0, 59):D2}{rng.Between(0, 59):D2}");
        var portable = rng.Chance(0.45);
        var (modality, sopClass, model, count, size, spacing, description, seriesDescription) = kind switch
        {
            SyntheticImagingKind.Xray => (
                vendor.XrayModality,
                vendor.XrayModality == "CR" ? SyntheticImageFactory.CrImageStorage : SyntheticImageFactory.DxForPresentation,
                rng.Pick(vendor.XrayModels), 1, realistic ? 2000 : 64, realistic ? 0.139 : 4.3,
                rng.Pick<string>(portable ? ["XR CHEST PORTABLE", "Chest X-ray AP (mobile)", "CXR AP"] : ["XR CHEST", "CHEST PA", "DX CHEST"]),
                portable ? "AP" : "PA"),
            SyntheticImagingKind.Ct => (
                "CT", SyntheticImageFactory.CtImageStorage, rng.Pick(vendor.CtModels), rng.Between(_options.CtSlicesMin, _options.CtSlicesMax),
                realistic ? 512 : 64, realistic ? 0.703125 : 5.625,
                rng.Pick<string>(["CT THORAX", "CT CHEST HIGH RESOLUTION", "CT PULMONARY ANGIOGRAM"]), "Axial Lung 1.25mm"),
            _ => (
                "MR", SyntheticImageFactory.MrImageStorage, rng.Pick(vendor.MrModels), rng.Between(MrImagesMin, MrImagesMax),
                realistic ? 256 : 64, realistic ? 1.5 : 6.0,
                rng.Pick<string>(["MR THORAX", "MRI CARDIAC"]), "t2_haste_tra"),
        };
        var studyUid = rng.NextUid();
        return new SeriesPlan
        {
            Kind = kind,
            Modality = modality,
            SopClassUid = sopClass,
            StudyUid = studyUid,
            SeriesUid = rng.NextUid(),
            StudyDate = date,
            StudyTime = time,
            StudyDescription = description,
            SeriesDescription = seriesDescription,
            SeriesNumber = rng.Between(1, 5),
            Vendor = vendor,
            Model = model,
            TransferSyntax = syntax,
            // Radiographs are portrait: 2000 wide, 2500 tall when realistic.
            Rows = kind == SyntheticImagingKind.Xray && realistic ? 2500 : size,
            Columns = size,
            BitsStored = kind == SyntheticImagingKind.Xray ? rng.Pick<int>([12, 14, 16]) : 12,
            PixelSpacing = spacing,
            ViewPosition = portable ? "AP" : "PA",
            FrameOfReferenceUid = rng.NextUid(),
            SliceThickness = kind == SyntheticImagingKind.Ct ? rng.Pick<double>([1.25, 2.5, 5]) : 6,
            OriginX = -(size * spacing / 2),
            OriginY = -(size * spacing / 2),
            OriginZ = -rng.Between(100, 300),
            InstanceCount = count,
            UndefinedLengthSequences = vendor.Name is "GE" or "Philips" || rng.Chance(0.2),
            Monochrome1 = modality == "CR" && rng.Chance(0.3),
        };
    }

    private void WriteImage(PatientFacts patient, SeriesPlan series, int studyIndex, int instance, DateOnly submission, SyntheticRandom rng, SyntheticRandom defects)
    {
        var sopUid = rng.NextUid();
        var pixelRng = rng.Fork();
        // Draw every decision each time so that one rate does not shift the stream of the others.
        var duplicate = defects.Chance(_options.DuplicateSopInstanceUid);
        var inTag = defects.Chance(_options.IdentifierInTags) && !duplicate;
        var inText = defects.Chance(_options.IdentifierInFreeText) && !duplicate;
        var missing = defects.Chance(_options.MissingAttribute) && !duplicate;
        var malformed = defects.Chance(_options.MalformedAttribute) && !duplicate;
        var truncated = defects.Chance(_options.Truncated) && !duplicate;
        var notDicom = defects.Chance(_options.NotDicom);

        var (dataSet, commentTag) = SyntheticImageFactory.Build(patient, series, instance, sopUid, pixelRng, _pixels);
        Span<InjectedDefect> injected = new InjectedDefect[4];
        var count = 0;
        if (inTag)
        {
            injected[count++] = DefectInjector.IdentifierInTag(dataSet, defects);
        }

        if (inText)
        {
            injected[count++] = DefectInjector.IdentifierInFreeText(dataSet, defects, commentTag);
        }

        if (missing)
        {
            injected[count++] = DefectInjector.MissingAttribute(dataSet, defects);
        }

        if (malformed)
        {
            injected[count++] = DefectInjector.MalformedAttribute(dataSet, defects);
        }

        var folder = ImageFolder(patient, series, series.SeriesUid, submission);
        var baseName = Warehouse
            ? sopUid
            : string.Create(CultureInfo.InvariantCulture, $"{patient.Pseudonym}_{studyIndex + 1:D2}_{instance + 1:D3}");
        var path = folder + "/" + baseName + ".dcm";
        var writeOptions = WriteOptions(series, sopUid);
        var (length, cutDetail) = WriteDicom(path, dataSet, writeOptions, truncated, defects);

        foreach (var defect in injected[..count])
        {
            _ledger.AddDefect(defect.Kind, path, defect.Tag, defect.Keyword, defect.Detail);
        }

        if (cutDetail is not null)
        {
            _ledger.AddDefect(SyntheticDefectKind.Truncated, path, null, null, cutDetail);
        }

        if (duplicate)
        {
            WriteDuplicate(patient, series, instance, sopUid, path, folder, baseName, submission, defects, length);
        }

        if (notDicom)
        {
            WriteNotDicom(patient, folder, baseName, rng, defects);
        }
    }

    private (long Length, string? CutDetail) WriteDicom(string path, DicomDataSetBuilder dataSet, DicomWriteOptions options, bool truncate, SyntheticRandom defects)
    {
        var full = FullPath(path);
        using var stream = new FileStream(full, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024);
        var result = DicomFileWriter.Write(stream, dataSet, options);
        var length = stream.Length;
        string? detail = null;
        if (truncate)
        {
            long cut;
            string where;
            if (SyntheticTransferSyntaxInfo.IsDeflated(options.TransferSyntax) || result.PixelDataValueOffset < 0)
            {
                cut = (length / 4) + defects.Next((int)Math.Max(1, length / 2));
                where = "inside the deflated data set";
            }
            else if (defects.Chance(0.5) && length - result.PixelDataValueOffset > 2)
            {
                cut = result.PixelDataValueOffset + 1 + defects.Next((int)(length - result.PixelDataValueOffset - 2));
                where = "inside pixel data";
            }
            else
            {
                cut = 140 + defects.Next((int)(result.PixelDataValueOffset - 141));
                where = "inside the header";
            }

            stream.SetLength(cut);
            detail = string.Create(CultureInfo.InvariantCulture, $"cut at byte {cut} of {length} {where}");
            length = cut;
        }

        Count(length, dicom: true);
        return (length, detail);
    }

    private void WriteDuplicate(
        PatientFacts patient, SeriesPlan series, int instance, string sopUid, string originalPath, string folder, string baseName,
        DateOnly submission, SyntheticRandom defects, long originalLength)
    {
        if (defects.Chance(0.5))
        {
            var copyPath = folder + "/" + baseName + "-copy.dcm";
            File.Copy(FullPath(originalPath), FullPath(copyPath), overwrite: true);
            Count(originalLength, dicom: true);
            _ledger.AddDefect(SyntheticDefectKind.DuplicateSopInstanceUid, copyPath, SyntheticTags.SopInstanceUid, "SOPInstanceUID",
                "byte-identical copy", originalPath);
            return;
        }

        // A resend from the modality: same SOPInstanceUID, new series, different pixels.
        var resent = series with { SeriesUid = defects.NextUid(), SeriesNumber = series.SeriesNumber + 100 };
        var (dataSet, _) = SyntheticImageFactory.Build(patient, resent, instance, sopUid, defects.Fork(), _pixels);
        var path = Warehouse
            ? ImageFolder(patient, resent, resent.SeriesUid, submission) + "/" + sopUid + ".dcm"
            : folder + "/" + baseName + "-resent.dcm";
        WriteDicom(path, dataSet, WriteOptions(resent, sopUid), truncate: false, defects);
        _ledger.AddDefect(SyntheticDefectKind.DuplicateSopInstanceUid, path, SyntheticTags.SopInstanceUid, "SOPInstanceUID",
            "same SOPInstanceUID, different content (new SeriesInstanceUID " + resent.SeriesUid + ")", originalPath);
    }

    private void WriteNotDicom(PatientFacts patient, string folder, string baseName, SyntheticRandom rng, SyntheticRandom defects)
    {
        var name = Warehouse ? rng.NextUid() : baseName + "-report";
        var path = folder + "/" + name + ".dcm";
        byte[] content;
        string detail;
        if (defects.Chance(0.5))
        {
            content = Encoding.ASCII.GetBytes(
                "RADIOLOGY REPORT\r\nPatient: " + patient.Pseudonym + "\r\nExam: Chest radiograph\r\nFindings: bilateral peripheral opacities.\r\n");
            detail = "plain-text report";
        }
        else
        {
            content = PixelSynthesizer.FakeFragment(SyntheticTransferSyntax.JpegBaseline, 2048 + defects.Next(2048), defects);
            detail = "JPEG image";
        }

        File.WriteAllBytes(FullPath(path), content);
        Count(content.Length, dicom: false);
        _ledger.AddDefect(SyntheticDefectKind.NotDicom, path, null, null, detail);
    }

    private void WriteClinicalRecords(PatientFacts patient, SyntheticRandom rng)
    {
        var truth = ClinicalTruth.Create(patient, rng);
        var versions = 1 + rng.PickWeighted([0.5, 0.35, 0.15]);
        var date = PatientFacts.Clamp(patient.SwabDate.AddDays(rng.Between(3, 25)));
        var prefix = patient.Positive ? "data" : "status";
        for (var v = 0; v < versions; v++)
        {
            var next = PatientFacts.Clamp(date.AddDays(rng.Between(14, 90)));
            var final = v == versions - 1 || next == date;
            var stamp = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var path = Warehouse
                ? (patient.Training ? "training" : "validation") + "/data/" + patient.Pseudonym + "/" + prefix + "_" + stamp + ".json"
                : "raw-" + patient.Centre.Code + "/" + stamp + "/data/" + patient.Pseudonym + "_" + prefix + ".json";
            var full = FullPath(path);
            EnsureDirectory(full);
            var length = ClinicalRecordWriter.Write(full, path, patient, truth, final, date, rng, _ledger);
            _clinicalFiles++;
            Count(length, dicom: false);
            if (final)
            {
                break;
            }

            date = next;
        }
    }

    private string ImageFolder(PatientFacts patient, SeriesPlan series, string seriesUid, DateOnly submission)
    {
        var folder = Warehouse
            ? (patient.Training ? "training/" : "validation/")
                + series.Kind switch { SyntheticImagingKind.Xray => "xray", SyntheticImagingKind.Ct => "ct", _ => "mri" }
                + "/" + patient.Pseudonym + "/" + series.StudyUid + "/" + seriesUid
            : "raw-" + patient.Centre.Code + "/" + submission.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/images";
        EnsureDirectory(FullPath(folder + "/x"));
        return folder;
    }

    private static DicomWriteOptions WriteOptions(SeriesPlan series, string sopUid) => new()
    {
        TransferSyntax = series.TransferSyntax,
        MediaStorageSopClassUid = series.SopClassUid,
        MediaStorageSopInstanceUid = sopUid,
        ImplementationVersionName = series.Vendor.Name switch
        {
            "GE" => "GE_DICOM_3_0",
            "Siemens" => "SIEMENS_SWVB20",
            "Philips" => "PHILIPS_5_1",
            "Canon" => "CANON_MEC_7",
            "Fujifilm" => "FUJIFILM_FDX",
            "Agfa" => "AGFA_MUSICA2",
            _ => "CARESTREAM_DRX",
        },
    };

    private void Count(long length, bool dicom)
    {
        _files++;
        _bytes += length;
        if (dicom)
        {
            _dicomFiles++;
        }
    }

    private string FullPath(string relative) => Path.Combine(_root, relative);

    private void EnsureDirectory(string fullFilePath)
    {
        var directory = Path.GetDirectoryName(fullFilePath)!;
        if (directory != _lastDirectory)
        {
            Directory.CreateDirectory(directory);
            _lastDirectory = directory;
        }
    }
}

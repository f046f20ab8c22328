using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Type 1 and Type 2 attributes of the instance's IOD (decided by SOP Class UID, falling back to Modality), from
/// <see cref="ModuleAttributeTable"/>; plus the image rules that follow from the IOD: Modality matching the SOP
/// Class, and Pixel Spacing on CT.
/// </summary>
internal sealed class ModuleAttributeCheck : IInstanceCheck
{
    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } =
        [QualityRules.Type1Missing, QualityRules.Type2Missing, QualityRules.ModalityMismatch, QualityRules.CtPixelSpacingMissing];

    /// <inheritdoc />
    public void Check(InstanceContext context, FindingCollector findings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        if (!context.Readable) return;
        var header = context.Header;
        var kind = ModuleAttributeTable.KindOf(header);
        var rows = ModuleAttributeTable.Rows;
        for (var r = 0; r < rows.Length; r++)
        {
            ref readonly var row = ref rows[r];
            if ((row.Kinds & kind) == 0) continue;
            var index = header.FindTopLevel(row.Tag);
            if (index < 0)
            {
                findings.Report(row.Type == 1 ? QualityRules.Type1Missing : QualityRules.Type2Missing, TagPath.Of(row.Tag),
                    "Type " + (row.Type == 1 ? "1 " : "2 ") + DicomDictionary.GetKeyword(row.Tag) + " of the " + row.Module + " module is missing.");
            }
            else if (row.Type == 1 && IsEmpty(header, index))
            {
                findings.Report(QualityRules.Type1Missing, TagPath.Of(row.Tag),
                    "Type 1 " + DicomDictionary.GetKeyword(row.Tag) + " of the " + row.Module + " module is empty.");
            }
        }

        CheckModality(header, findings);
        if (kind == ImagingKinds.CT)
        {
            var spacing = header.FindTopLevel(DicomTags.PixelSpacing);
            if (spacing < 0 || IsEmpty(header, spacing))
            {
                findings.Report(QualityRules.CtPixelSpacingMissing, TagPath.Of(DicomTags.PixelSpacing), "PixelSpacing is missing or empty on a CT image.");
            }
        }
    }

    /// <summary>True when element <paramref name="index"/> has no value (padding only for strings, no items for sequences).</summary>
    internal static bool IsEmpty(DicomHeader header, int index)
    {
        ref readonly var e = ref header[index];
        if (e.IsSequence) return index + 1 >= header.Count || !header[index + 1].IsItem || header[index + 1].Parent != index;
        if (DicomVRInfo.IsString(e.VR) || e.VR is DicomVR.None or DicomVR.UN) return header.TrimmedValue(index).IsEmpty;
        return e.Length == 0;
    }

    private static void CheckModality(DicomHeader header, FindingCollector findings)
    {
        var sopClass = header.FindTopLevel(DicomTags.SOPClassUID);
        var modality = header.FindTopLevel(DicomTags.Modality);
        if (sopClass < 0 || modality < 0) return;
        var byClass = ModuleAttributeTable.KindOfSopClass(header.TrimmedValue(sopClass));
        if (byClass == ImagingKinds.Other) return;
        var value = header.TrimmedValue(modality);
        if (value.IsEmpty || ModuleAttributeTable.KindOfModality(value) == byClass) return;
        findings.Report(QualityRules.ModalityMismatch, TagPath.Of(DicomTags.Modality),
            "Modality is " + header.GetStringAt(modality) + " but SOP Class " + header.GetStringAt(sopClass) + " requires " + ModuleAttributeTable.ModalityOf(byClass) + ".");
    }
}

using System.Globalization;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>Applies header defects to a clean data set and describes each for the ledger.</summary>
internal static class DefectInjector
{
    public static InjectedDefect IdentifierInTag(DicomDataSetBuilder ds, SyntheticRandom rng)
    {
        var (given, family) = FakeIdentity.Name(rng);
        switch (rng.Next(5))
        {
            case 0:
                var name = family.ToUpperInvariant() + "^" + given;
                ds.AddString(SyntheticTags.PatientName, DicomVR.PN, name);
                return new(SyntheticDefectKind.IdentifierInTag, SyntheticTags.PatientName, "PatientName", "name " + name);
            case 1:
                var birth = FakeIdentity.BirthDate(rng).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                ds.AddString(SyntheticTags.PatientBirthDate, DicomVR.DA, birth);
                return new(SyntheticDefectKind.IdentifierInTag, SyntheticTags.PatientBirthDate, "PatientBirthDate", "date of birth " + birth);
            case 2:
                var nhs = FakeIdentity.NhsNumber(rng);
                ds.AddString(SyntheticTags.OtherPatientIds, DicomVR.LO, nhs);
                return new(SyntheticDefectKind.IdentifierInTag, SyntheticTags.OtherPatientIds, "OtherPatientIDs", "NHS number " + nhs);
            case 3:
                var address = FakeIdentity.Address(rng);
                ds.AddString(SyntheticTags.InstitutionAddress, DicomVR.ST, address);
                return new(SyntheticDefectKind.IdentifierInTag, SyntheticTags.InstitutionAddress, "InstitutionAddress", "address " + address);
            default:
                var doctor = family.ToUpperInvariant() + "^" + given + "^^Dr";
                ds.AddString(SyntheticTags.ReferringPhysicianName, DicomVR.PN, doctor);
                return new(SyntheticDefectKind.IdentifierInTag, SyntheticTags.ReferringPhysicianName, "ReferringPhysicianName", "name " + doctor);
        }
    }

    public static InjectedDefect IdentifierInFreeText(DicomDataSetBuilder ds, SyntheticRandom rng, DicomTag privateCommentTag)
    {
        var (given, family) = FakeIdentity.Name(rng);
        string identifier = rng.Next(3) switch
        {
            0 => given + " " + family,
            1 => "NHS " + FakeIdentity.NhsNumber(rng),
            _ => "DOB " + FakeIdentity.BirthDate(rng).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
        };
        switch (rng.Next(3))
        {
            case 0:
                var description = ds.GetString(SyntheticTags.StudyDescription) + " " + identifier;
                ds.AddString(SyntheticTags.StudyDescription, DicomVR.LO, description.Length > 64 ? description[^64..] : description);
                return new(SyntheticDefectKind.IdentifierInFreeText, SyntheticTags.StudyDescription, "StudyDescription", identifier);
            case 1:
                ds.AddString(SyntheticTags.ImageComments, DicomVR.LT, "Portable film, pt " + identifier + ", query consolidation");
                return new(SyntheticDefectKind.IdentifierInFreeText, SyntheticTags.ImageComments, "ImageComments", identifier);
            default:
                ds.AddString(privateCommentTag, DicomVR.LO, "Pt " + identifier);
                return new(SyntheticDefectKind.IdentifierInFreeText, privateCommentTag, "PrivateComment", identifier);
        }
    }

    public static InjectedDefect MissingAttribute(DicomDataSetBuilder ds, SyntheticRandom rng)
    {
        var (tag, keyword) = rng.Next(5) switch
        {
            0 => (SyntheticTags.SopInstanceUid, "SOPInstanceUID"),
            1 => (SyntheticTags.Modality, "Modality"),
            2 => (SyntheticTags.StudyInstanceUid, "StudyInstanceUID"),
            3 => (SyntheticTags.SeriesInstanceUid, "SeriesInstanceUID"),
            _ => (SyntheticTags.StudyDate, "StudyDate"),
        };
        ds.Remove(tag);
        return new(SyntheticDefectKind.MissingAttribute, tag, keyword, "removed");
    }

    public static InjectedDefect MalformedAttribute(DicomDataSetBuilder ds, SyntheticRandom rng)
    {
        switch (rng.Next(4))
        {
            case 0:
                ds.AddString(SyntheticTags.StudyDate, DicomVR.DA, "2020-13-45");
                return new(SyntheticDefectKind.MalformedAttribute, SyntheticTags.StudyDate, "StudyDate", "DA value 2020-13-45");
            case 1:
                var uid = ds.GetString(SyntheticTags.SeriesInstanceUid) ?? "2.25.1";
                var broken = string.Concat(uid.AsSpan(0, Math.Min(uid.Length, 20)), ".abc", uid.Length > 20 ? uid[20..] : string.Empty);
                broken = broken.Length > 64 ? broken[..64] : broken;
                ds.AddString(SyntheticTags.SeriesInstanceUid, DicomVR.UI, broken);
                return new(SyntheticDefectKind.MalformedAttribute, SyntheticTags.SeriesInstanceUid, "SeriesInstanceUID", "UI value with letters " + broken);
            case 2:
                ds.AddString(SyntheticTags.PixelSpacing, DicomVR.DS, "abc\\abc");
                return new(SyntheticDefectKind.MalformedAttribute, SyntheticTags.PixelSpacing, "PixelSpacing", "DS value abc\\abc");
            default:
                ds.AddString(SyntheticTags.PatientAge, DicomVR.AS, "54 years");
                return new(SyntheticDefectKind.MalformedAttribute, SyntheticTags.PatientAge, "PatientAge", "AS value 54 years");
        }
    }
}

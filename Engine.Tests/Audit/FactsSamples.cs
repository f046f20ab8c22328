using System.Reflection;
using Nccid.Batch.Audit;

namespace Nccid.Batch.Tests.Audit;

/// <summary>Instance facts with every property set, and a check that two sets of facts agree property by property.</summary>
internal static class FactsSamples
{
    public static InstanceFacts Full() => new()
    {
        Path = "training/ct/P1/é/1.dcm", Size = 123_456_789_012, Readable = true, FolderPseudonym = "P1", SopInstanceUid = "1.2.3.4", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        Modality = "CT", PatientId = "P1", PatientSex = "F", BirthYear = 1950, AgeYears = 71, StudyDate = new DateOnly(2021, 3, 4), StudyInstanceUid = "1.2.3",
        SeriesInstanceUid = "1.2.3.9", FrameOfReferenceUid = "1.2.3.10", InstanceNumber = -7, ImagePositionPatient = [-1.5, double.NaN, double.PositiveInfinity],
        ImageOrientationPatient = [1, 0, 0, 0, 1, -0.0], SliceThickness = 0.625, HeaderHash = [1, 2, 3, 255], Centre = "centre-é",
    };

    /// <summary>
    /// Every property <paramref name="flags"/> selects, by reflection (a fact added later without a place in an encoding
    /// fails here), is set in <paramref name="expected"/> and equal in <paramref name="actual"/>; -0.0 keeps its sign.
    /// </summary>
    public static void AssertSame(InstanceFacts expected, InstanceFacts actual, BindingFlags flags)
    {
        foreach (var property in typeof(InstanceFacts).GetProperties(flags))
        {
            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            Assert.NotNull(want);
            if (want is System.Collections.IEnumerable list and not string) Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)got!).Cast<object>());
            else Assert.Equal(want, got);
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.ImageOrientationPatient![5]), BitConverter.DoubleToInt64Bits(actual.ImageOrientationPatient![5]));
    }
}

using Nccid.Batch.Releases;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// An <c>imaging_outcomes</c> part is taken over from the previous release when its rows' fingerprint is the same: every
/// value of a row must count in it, or a changed outcome would keep an old part.
/// </summary>
public sealed class OutcomeChunkTests
{
    private static ImagingOutcomeRow Base() => new()
    {
        Path = "a/b.dcm", SopInstanceUid = "1.2", Pseudonym = "p", SubmittingCentre = "c", Split = "training", Modality = "CT", StudyInstanceUid = "1.3",
        SeriesInstanceUid = "1.4", StudyDate = new DateOnly(2020, 4, 1), BodyPartExamined = "CHEST", ViewPosition = "PA", Manufacturer = "m", Rows = 512,
        Columns = 512, HasClinicalRecord = true, CovidStatus = "positive", Sex = "F", Age = 60, SwabDate = new DateOnly(2020, 3, 30),
        AdmissionDate = new DateOnly(2020, 3, 29), ItuAdmission = true, ItuAdmissionDate = new DateOnly(2020, 4, 2), Intubation = false, Death = false,
        DeathDate = new DateOnly(2020, 5, 1), DaysFromSwabToStudy = 2, DaysFromAdmissionToStudy = 3, StudyBeforeItu = true, DeathWithin28Days = false,
        ItuWithin28Days = true, InCollectionWindow = true,
    };

    private static string Fingerprint(params ImagingOutcomeRow[] rows)
    {
        var chunk = new OutcomeChunk("salt");
        foreach (var row in rows) chunk.Add(row);
        return chunk.Fingerprint();
    }

    /// <summary>Other values for a property: a different one, and null where the type allows it.</summary>
    private static IEnumerable<object?> Others(Type type, object? current)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null || !type.IsValueType) yield return null;
        var t = underlying ?? type;
        if (t == typeof(string)) { yield return ""; yield return "other"; }
        else if (t == typeof(int)) yield return -1;
        else if (t == typeof(bool)) yield return !(bool)current!;
        else if (t == typeof(DateOnly)) yield return new DateOnly(2019, 1, 1);
        else throw new InvalidOperationException($"A type the test does not vary: {t}.");
    }

    [Fact]
    public void Every_value_of_every_row_changes_the_fingerprint()
    {
        var original = Fingerprint(Base(), Base());
        Assert.Equal(original, Fingerprint(Base(), Base()));
        var properties = typeof(ImagingOutcomeRow).GetProperties();
        Assert.Equal(31, properties.Length);
        foreach (var property in properties)
        {
            foreach (var value in Others(property.PropertyType, property.GetValue(Base())))
            {
                if (value is null && property.Name == nameof(ImagingOutcomeRow.Path)) continue;
                var changed = Base();
                property.SetValue(changed, value);
                // The change counts in either row.
                Assert.NotEqual(original, Fingerprint(changed, Base()));
                Assert.NotEqual(original, Fingerprint(Base(), changed));
            }
        }
    }

    [Fact]
    public void Rows_are_not_confused_across_their_boundaries_nor_across_salts()
    {
        var a = Base();
        a.Manufacturer = "ab";
        a.Sex = null;
        var b = Base();
        b.Manufacturer = "a";
        b.Sex = "b";
        Assert.NotEqual(Fingerprint(a), Fingerprint(b));
        var one = new OutcomeChunk("one");
        var two = new OutcomeChunk("two");
        one.Add(Base());
        two.Add(Base());
        Assert.NotEqual(one.Fingerprint(), two.Fingerprint());
        one.Clear();
        Assert.Empty(one.Rows);
        Assert.NotEqual(Fingerprint(Base()), one.Fingerprint());
    }
}

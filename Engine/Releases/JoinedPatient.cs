using Nccid.Batch.Clinical;

namespace Nccid.Batch.Releases;

/// <summary>
/// What the audit and the imaging–outcomes join need of a patient's clinical record, held for every patient while the
/// release reads the instances: about a quarter of a <see cref="PatientRecord"/>, whose other fields wait on disk
/// (<see cref="PatientRecordSpill"/>) for the <c>patients</c> table and the documents.
/// </summary>
internal sealed class JoinedPatient
{
    public string? SubmittingCentre { get; private init; }
    public string? Split { get; private init; }
    public string? Status { get; private init; }
    public string? Sex { get; private init; }
    public int? Age { get; private init; }
    public DateOnly? SwabDate { get; private init; }
    public DateOnly? AdmissionDate { get; private init; }
    public bool? ItuAdmission { get; private init; }
    public DateOnly? ItuAdmissionDate { get; private init; }
    public bool? Intubation { get; private init; }
    public bool? Death { get; private init; }
    public DateOnly? DeathDate { get; private init; }
    public DateOnly? LastFollowUpDate { get; private init; }

    /// <summary>The join's fields of <paramref name="record"/>; the few distinct codes (centre, split, status, sex) are held once through <paramref name="codes"/>.</summary>
    public static JoinedPatient From(PatientRecord record, Dictionary<string, string> codes) => new()
    {
        SubmittingCentre = Share(record.SubmittingCentre, codes), Split = Share(record.Split, codes), Status = Share(record.Status, codes),
        Sex = Share(record.Sex, codes), Age = record.Age, SwabDate = record.SwabDate, AdmissionDate = record.AdmissionDate, ItuAdmission = record.ItuAdmission,
        ItuAdmissionDate = record.ItuAdmissionDate, Intubation = record.Intubation, Death = record.Death, DeathDate = record.DeathDate,
        LastFollowUpDate = record.LastFollowUpDate,
    };

    /// <summary>A digest of every field, so that a join can tell a record that changed (see <see cref="JoinState"/>).</summary>
    public string Digest()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (var text in (string?[])[SubmittingCentre, Split, Status, Sex]) Audit.InstanceFactsCodec.Str(writer, text);
            foreach (var number in (int?[])[Age, SwabDate?.DayNumber, AdmissionDate?.DayNumber, ItuAdmissionDate?.DayNumber, DeathDate?.DayNumber, LastFollowUpDate?.DayNumber])
            {
                Audit.InstanceFactsCodec.Int(writer, number);
            }

            foreach (var flag in (bool?[])[ItuAdmission, Intubation, Death]) writer.Write((byte)(flag is null ? 2 : flag.Value ? 1 : 0));
        }

        return Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static string? Share(string? value, Dictionary<string, string> codes)
    {
        if (value is null) return null;
        if (codes.TryGetValue(value, out var shared)) return shared;
        codes[value] = value;
        return value;
    }
}

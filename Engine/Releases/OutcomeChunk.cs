using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Nccid.Batch.Audit;

namespace Nccid.Batch.Releases;

/// <summary>
/// The <c>imaging_outcomes</c> rows of one <c>instances</c> part, and their fingerprint: SHA-256 of every value of every
/// row (and of what else decides the part's bytes), so that a later release whose rows for that part are the same takes
/// the earlier release's part over instead of encoding it again (<see cref="Tables.PartReuse"/>). Since the rows
/// themselves are hashed, a change in any patient's outcomes, in the quarantine or in the job's settings that alters a
/// row alters the fingerprint.
/// </summary>
internal sealed class OutcomeChunk
{
    private readonly MemoryStream _bytes = new();
    private readonly BinaryWriter _writer;
    private readonly byte[] _salt;

    /// <summary>A chunk whose fingerprints start with <paramref name="salt"/> (the parts' layout and format).</summary>
    public OutcomeChunk(string salt)
    {
        _writer = new BinaryWriter(_bytes, Encoding.UTF8, leaveOpen: true);
        _salt = Encoding.UTF8.GetBytes(salt);
    }

    /// <summary>The rows added since <see cref="Clear"/>.</summary>
    public List<ImagingOutcomeRow> Rows { get; } = [];

    /// <summary>Adds <paramref name="row"/>.</summary>
    public void Add(ImagingOutcomeRow row)
    {
        Rows.Add(row);
        Write(_writer, row);
    }

    /// <summary>Starts the next chunk.</summary>
    public void Clear()
    {
        Rows.Clear();
        _writer.Flush();
        _bytes.SetLength(0);
    }

    /// <summary>The fingerprint of the rows added, hex.</summary>
    public string Fingerprint()
    {
        _writer.Flush();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_salt);
        hash.AppendData(_bytes.GetBuffer(), 0, checked((int)_bytes.Length));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Every value of <paramref name="row"/>, each null told apart from every value.</summary>
    internal static void Write(BinaryWriter w, ImagingOutcomeRow row)
    {
        Str(w, row.Path);
        Str(w, row.SopInstanceUid);
        Str(w, row.Pseudonym);
        Str(w, row.SubmittingCentre);
        Str(w, row.Split);
        Str(w, row.Modality);
        Str(w, row.StudyInstanceUid);
        Str(w, row.SeriesInstanceUid);
        Date(w, row.StudyDate);
        Str(w, row.BodyPartExamined);
        Str(w, row.ViewPosition);
        Str(w, row.Manufacturer);
        InstanceFactsCodec.Int(w, row.Rows);
        InstanceFactsCodec.Int(w, row.Columns);
        w.Write(row.HasClinicalRecord);
        Str(w, row.CovidStatus);
        Str(w, row.Sex);
        InstanceFactsCodec.Int(w, row.Age);
        Date(w, row.SwabDate);
        Date(w, row.AdmissionDate);
        Bool(w, row.ItuAdmission);
        Date(w, row.ItuAdmissionDate);
        Bool(w, row.Intubation);
        Bool(w, row.Death);
        Date(w, row.DeathDate);
        InstanceFactsCodec.Int(w, row.DaysFromSwabToStudy);
        InstanceFactsCodec.Int(w, row.DaysFromAdmissionToStudy);
        Bool(w, row.StudyBeforeItu);
        Bool(w, row.DeathWithin28Days);
        Bool(w, row.ItuWithin28Days);
        Bool(w, row.InCollectionWindow);
    }

    // UTF-16 code units as they are: a string that does not survive UTF-8 (a lone surrogate) is still told apart.
    private static void Str(BinaryWriter w, string? value)
    {
        w.Write7BitEncodedInt(value is null ? 0 : value.Length + 1);
        w.Write(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static void Date(BinaryWriter w, DateOnly? value) => InstanceFactsCodec.Int(w, value?.DayNumber);

    private static void Bool(BinaryWriter w, bool? value) => w.Write(value switch { null => (byte)0, false => (byte)1, true => (byte)2 });
}

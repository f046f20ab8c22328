using System.Text.Encodings.Web;
using System.Text.Json;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>
/// Writes <c>ground-truth.jsonl</c>: one JSON object per line per injected defect or messy clinical value,
/// in generation order (which is fixed by the seed), streamed so memory does not grow with the corpus.
/// </summary>
internal sealed class GroundTruthLedger : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // A local analysis file, never embedded in HTML: keep names like "Zoë" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly int[] _defects = new int[Enum.GetValues<SyntheticDefectKind>().Length];

    public GroundTruthLedger(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        _writer = new Utf8JsonWriter(_stream, WriterOptions);
    }

    public long ClinicalValues { get; private set; }

    public int DefectCount(SyntheticDefectKind kind) => _defects[(int)kind];

    public static string KindName(SyntheticDefectKind kind) => kind switch
    {
        SyntheticDefectKind.IdentifierInTag => "identifier_in_tag",
        SyntheticDefectKind.IdentifierInFreeText => "identifier_in_free_text",
        SyntheticDefectKind.MissingAttribute => "missing_attribute",
        SyntheticDefectKind.MalformedAttribute => "malformed_attribute",
        SyntheticDefectKind.DuplicateSopInstanceUid => "duplicate_sop_instance_uid",
        SyntheticDefectKind.Truncated => "truncated",
        SyntheticDefectKind.NotDicom => "not_dicom",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown defect kind."),
    };

    public void AddDefect(SyntheticDefectKind kind, string path, DicomTag? tag, string? keyword, string detail, string? related = null)
    {
        _defects[(int)kind]++;
        _writer.WriteStartObject();
        _writer.WriteString("kind"u8, KindName(kind));
        _writer.WriteString("path"u8, path);
        if (tag is { } value)
        {
            _writer.WriteString("tag"u8, value.ToJsonKey());
        }

        if (keyword is not null)
        {
            _writer.WriteString("keyword"u8, keyword);
        }

        _writer.WriteString("detail"u8, detail);
        if (related is not null)
        {
            _writer.WriteString("related"u8, related);
        }

        EndLine();
    }

    public void AddClinicalValue(string path, string field, string key, string raw, string? clean)
    {
        ClinicalValues++;
        _writer.WriteStartObject();
        _writer.WriteString("kind"u8, "clinical_value"u8);
        _writer.WriteString("path"u8, path);
        _writer.WriteString("field"u8, field);
        _writer.WriteString("key"u8, key);
        _writer.WriteString("raw"u8, raw);
        if (clean is null)
        {
            _writer.WriteNull("clean"u8);
        }
        else
        {
            _writer.WriteString("clean"u8, clean);
        }

        EndLine();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }

    private void EndLine()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _writer.Reset();
    }
}

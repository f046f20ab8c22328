using System.Globalization;
using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Fuzz;

/// <summary>
/// What one input goes through: the header reader's growing range reads (a first read of 256 bytes, as an S3 scan
/// with a short first range), the projection into an instances row with header_json, and every per-instance audit
/// check of the nccid profile; then the same bytes parsed whole must give the same outcome. Any exception, an
/// <see cref="DicomErrorKind.Internal"/> error, an error without kind or message, or a disagreement is a crash
/// for AFL: each is a defect that the scan would turn into an Internal error row.
/// </summary>
internal sealed class FuzzTarget
{
    /// <summary>The limits of the hostile-input tests: AFL's inputs are at most 1 MB, a bomb inflates no further.</summary>
    private static readonly DicomReadOptions Options = new() { MaxHeaderBytes = 1 << 20, MaxElements = 10_000 };

    private static readonly DateOnly ReferenceDate = new(2026, 1, 1);

    private readonly InstanceAuditor _auditor = new(AuditChecks.For(AuditProfile.Nccid), AuditProfile.Nccid, ReferenceDate, includeHeaderJson: true);

    public string Run(byte[] bytes)
    {
        // A fresh reader each time, so that an input replays alone exactly as it ran in the fuzzing loop.
        using var reader = new HeaderReader(Options, initialReadBytes: 256);
        var stored = new StoredObject("fuzz/input.dcm", bytes.Length, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var pending = reader.ReadAsync(new MemoryStore(bytes), stored, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully) throw new InvalidOperationException("A read from memory did not complete synchronously.");
        var result = pending.Result;
        var audited = _auditor.Audit(stored, reader, result);
        Check(result.Status is DicomParseStatus.Complete or DicomParseStatus.Error, $"status {result.Status} for a whole file");
        if (result.Status == DicomParseStatus.Error)
        {
            Check(result.Error.Kind is not (DicomErrorKind.None or DicomErrorKind.Internal), $"error kind {result.Error.Kind}");
            Check(!string.IsNullOrWhiteSpace(result.Error.Message), "an error without a message");
            Check(audited.Row.Status == InstanceRow.StatusError, "an error read that is not an error row");
        }
        else
        {
            Check(audited.Row.Status == InstanceRow.StatusOk && audited.Row.HeaderJson is not null, "a complete read without an ok row and its header_json");
        }

        using var whole = new DicomHeader();
        var wholeStatus = bytes.Length == 0 ? DicomParseStatus.Error : DicomParser.Parse(bytes, bytes.Length, whole, Options);
        if (bytes.Length > 0)
        {
            Check(wholeStatus == result.Status, $"read in ranges: {result.Status}, parsed whole: {wholeStatus}");
            Check(wholeStatus != DicomParseStatus.Error || whole.Error.Kind == result.Error.Kind,
                $"read in ranges: {result.Error.Kind}, parsed whole: {whole.Error.Kind}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{result.Status} {result.Error.Kind} ({audited.Findings.Length} findings)");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("Fuzz property broken: " + what);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>Residual identifiers in text values: hand-written scanners over the decoded characters.</summary>
public sealed partial class DeidentificationCheck
{
    private void ScanText(DicomHeader header, int index, bool unknownVR, string? pseudonym, ReadOnlySpan<byte> patientId, FindingCollector findings)
    {
        ref readonly var e = ref header[index];
        if (e.IsSequence || e.HasUndefinedLength) return;
        var value = header.TrimmedValue(index);
        if (value.IsEmpty) return;

        // One look at the bytes decides which scanners can match at all, and whether the bytes are plain ASCII.
        bool digit = false, at = false, letter = false, ascii = true, printable = true;
        foreach (var b in value)
        {
            if (b is >= (byte)'0' and <= (byte)'9') digit = true;
            else if (b == (byte)'@') at = true;
            else if ((uint)((b | 0x20) - 'a') <= 'z' - 'a') letter = true;
            else if (b >= 0x80)
            {
                ascii = false;
                letter = true;
            }
            else if (b == 0x1B)
            {
                ascii = false;
            }
            else if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n' or 0))
            {
                printable = false;
            }
        }

        if (unknownVR && (!printable || value.Contains((byte)0))) return;
        var isName = e.VR == DicomVR.PN;
        if (!digit && !at && !letter) return;

        ReadOnlySpan<char> text;
        if (ascii)
        {
            var buffer = t_chars is { } existing && existing.Length >= value.Length ? existing : (t_chars = new char[Math.Max(value.Length, 1024)]);
            var n = Encoding.Latin1.GetChars(value, buffer);
            text = buffer.AsSpan(0, n);
        }
        else
        {
            // Non-ASCII text is rare in these headers; decoding it through the character set allocates.
            var vr = unknownVR ? DicomVR.LO : e.VR;
            text = header.CharacterSetAt(index).Decode(value, vr);
        }

        if (isName && letter && !digit && !DummyValues.IsDummy(value) && !DummyValues.EqualsText(value, pseudonym) && !value.SequenceEqual(patientId)
            && LooksLikeName(text))
        {
            Report(findings, DeidentificationRules.PersonName, header, index, Invariant($"person name ({text.Length} chars)"));
        }

        if (digit)
        {
            var pos = 0;
            while (HealthNumberScanner.TryFindNext(text, pos, out var start, out var length, out var chi))
            {
                Found(findings, chi ? DeidentificationRules.ChiNumber : DeidentificationRules.NhsNumber, header, index, chi ? "CHI number" : "NHS number", start, length);
                pos = start + length;
            }

            pos = 0;
            while (PhoneScanner.TryFindNext(text, pos, out var start, out var length))
            {
                Found(findings, DeidentificationRules.Phone, header, index, "telephone number", start, length);
                pos = start + length;
            }

            pos = 0;
            while (DateOfBirthScanner.TryFindNext(text, pos, out var start, out var length))
            {
                Found(findings, DeidentificationRules.DateOfBirth, header, index, "date of birth", start, length);
                pos = start + length;
            }

            if (letter)
            {
                pos = 0;
                while (PostcodeScanner.TryFindNext(text, pos, out var start, out var length))
                {
                    Found(findings, DeidentificationRules.Postcode, header, index, "postcode", start, length);
                    pos = start + length;
                }
            }

            ScanHospitalNumbers(text, header, index, findings);
        }

        if (at)
        {
            var pos = 0;
            while (EmailScanner.TryFindNext(text, pos, out var start, out var length))
            {
                Found(findings, DeidentificationRules.Email, header, index, "e-mail address", start, length);
                pos = start + length;
            }
        }

        if (letter && !_names.IsEmpty)
        {
            var pos = 0;
            while (_names.TryFindNext(text, pos, out var start, out var length))
            {
                Found(findings, DeidentificationRules.ListedName, header, index, "listed name", start, length);
                pos = start + length;
            }
        }
    }

    private void ScanHospitalNumbers(ReadOnlySpan<char> text, DicomHeader header, int index, FindingCollector findings)
    {
        // The profile's pattern first; a number after a cue that the pattern found already is not reported twice.
        List<(int Start, int End)>? matched = null;
        if (_hospitalNumber is not null)
        {
            try
            {
                foreach (var match in _hospitalNumber.EnumerateMatches(text))
                {
                    if (match.Length == 0) continue;
                    Found(findings, DeidentificationRules.HospitalNumber, header, index, "hospital number", match.Index, match.Length);
                    (matched ??= []).Add((match.Index, match.Index + match.Length));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological value must not stall the scan, nor pass unseen: say the search gave up.
                Report(findings, DeidentificationRules.HospitalNumber, header, index, "hospital-number pattern timed out on this value");
            }
        }

        var pos = 0;
        while (HospitalNumberScanner.TryFindNext(text, pos, out var start, out var length))
        {
            var end = start + length;
            var seen = false;
            if (matched is not null)
            {
                foreach (var m in matched) seen |= m.Start < end && start < m.End;
            }

            if (!seen) Found(findings, DeidentificationRules.HospitalNumber, header, index, "hospital number", start, length);
            pos = end;
        }
    }

    /// <summary>A person name value with a component of two or more letters (the value holds no digits).</summary>
    private static bool LooksLikeName(ReadOnlySpan<char> text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsLetter(c) ? run + 1 : 0;
            if (run >= 2) return true;
        }

        return false;
    }

    private static void Found(FindingCollector findings, AuditRule rule, DicomHeader header, int index, string what, int start, int length) =>
        Report(findings, rule, header, index, string.Create(CultureInfo.InvariantCulture, $"{what} at chars {start + 1}\u2013{start + length}"));
}

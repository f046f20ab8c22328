using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nccid.Batch.Dicom;
using Nccid.Batch.Pipeline;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;
using Nccid.Batch.Tests.Fixtures;

namespace Nccid.Batch.Tests.Dicom;

/// <summary>
/// header_json against an independent writer of the DICOM JSON model (PS3.18 Annex F): pydicom's
/// <c>Dataset.to_json_dict</c>, on every public test file both of us read.
/// </summary>
public sealed class DicomJsonWriterTests
{
    private const string CharsetFolder = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";

    // One JSON line per file: its DICOM JSON, or why pydicom could not read it. Bulk data stays inline (we write
    // only its VR, so it is not compared).
    private const string PydicomScript = """
        import json, sys, warnings, pydicom
        warnings.simplefilter('ignore')
        for path in sys.argv[1:]:
            try:
                ds = pydicom.dcmread(path)
                print(json.dumps({'file': path, 'json': ds.to_json_dict(bulk_data_threshold=1 << 40)}))
            except Exception as e:
                print(json.dumps({'file': path, 'error': type(e).__name__}))
        """;

    private static readonly HashSet<string> BulkVRs = new(StringComparer.Ordinal) { "OB", "OW", "OF", "OD", "OL", "OV", "UN" };

    [Fact]
    public async Task Header_json_agrees_with_pydicom_on_every_public_test_file_both_read()
    {
        var paths = PublicDicomFiles.ConformanceNames().Select(n => Path.Combine(PublicDicomFiles.Folder, n))
            .Concat(Directory.Exists(CharsetFolder) ? Directory.GetFiles(CharsetFolder, "*.dcm").Order(StringComparer.Ordinal) : [])
            .ToList();
        var expected = RunPydicom(paths);

        var projector = new InstanceProjector();
        using var reader = new HeaderReader(DicomReadOptions.Default);
        var compared = 0;
        var elements = 0;
        var differences = new List<string>();
        foreach (var path in paths)
        {
            if (!expected.TryGetValue(path, out var theirs)) continue;
            var info = new FileInfo(path);
            var result = await reader.ReadAsync(new LocalFileStore(info.DirectoryName!), new StoredObject(info.Name, info.Length, info.LastWriteTimeUtc), CancellationToken.None);
            if (result.Status != DicomParseStatus.Complete) continue;
            using var ours = JsonDocument.Parse(projector.HeaderJson(reader.Header, null)!);
            var name = Path.GetRelativePath(PublicDicomFiles.Folder, path);
            elements += Compare(name, ours.RootElement, theirs.RootElement, topLevel: true, differences);
            compared++;
        }

        foreach (var document in expected.Values) document.Dispose();
        Assert.True(compared >= 60, $"expected to compare at least 60 files, compared {compared}");
        Assert.True(elements >= 3_000, $"expected to compare at least 3,000 elements, compared {elements}");
        Assert.True(differences.Count == 0, $"{differences.Count} differences from pydicom:\n" + string.Join('\n', differences.Take(40)));
    }

    [Fact]
    public void Text_in_a_sequence_item_is_decoded_with_the_items_own_character_set()
    {
        // pydicom's chrSQEncoding.dcm: ISO_IR 192 for the data set, ISO 2022 IR 13 and 87 in an item of (0032,1064).
        var bytes = File.ReadAllBytes(Path.Combine(CharsetFolder, "chrSQEncoding.dcm"));
        var header = new DicomHeader();
        Assert.Equal(DicomParseStatus.Complete, DicomParser.Parse(bytes, bytes.Length, header, DicomReadOptions.Default));
        var nested = Enumerable.Range(0, header.Count).Single(i => header[i].Tag == 0x00100010 && header[i].Depth > 0);
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", header.GetStringAt(nested));
        Assert.Equal("Doctor^Who^^MD", header.GetString(0x00321032));
        Assert.Same(header.CharacterSet, header.CharacterSetAt(header.FindTopLevel(0x00321032)));
    }

    [Fact]
    public void Decimal_strings_already_in_JSON_number_form_are_written_as_they_are_and_others_are_parsed()
    {
        var json = Json(DicomParserTests.Part10(Explicit(0x00180050, "DS", "+5\\05\\.5\\1.50\\-0\\1e400\\ 2.5 \\\\abc ")));
        Assert.Equal("""{"00180050":{"vr":"DS","Value":[5,5,0.5,1.50,-0,"1e400",2.5,null,"abc"]}}""", json);
    }

    [Fact]
    public void Sixty_four_bit_integers_keep_every_digit()
    {
        var uv = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(uv, 9_223_372_036_854_775_809UL);
        var sv = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(sv, -9_007_199_254_740_993L);
        var json = Json(DicomParserTests.Part10([.. ExplicitLong(0x00101011, "SV", sv), .. ExplicitLong(0x00101012, "UV", uv)]));
        Assert.Equal("""{"00101011":{"vr":"SV","Value":[-9007199254740993]},"00101012":{"vr":"UV","Value":[9223372036854775809]}}""", json);
    }

    [Fact]
    public void Strings_are_escaped_as_System_Text_Json_escapes_them_and_read_back_unchanged()
    {
        // Latin-1 text (ISO_IR 100) with a quote, a backslash in single-valued text, controls, DEL and accented letters,
        // next to ASCII that needs no escaping: the compact JSON must be what System.Text.Json writes for the same document.
        var latin1 = Encoding.Latin1;
        byte[] Text(uint tag, string vr, string value)
        {
            var bytes = latin1.GetBytes(value.Length % 2 == 1 ? value + " " : value);
            return [.. Tag(tag), (byte)vr[0], (byte)vr[1], (byte)bytes.Length, (byte)(bytes.Length >> 8), .. bytes];
        }

        var dataSet = (byte[])[
            .. Text(0x00080005, "CS", "ISO_IR 100"),
            .. Text(0x00080081, "ST", "Ward 4\\Bay 2"),
            .. Text(0x00081030, "LO", "Chest \"PA\"\x7f\u00e9t\u00e9"),
            // Each byte that needs escaping alone in otherwise plain ASCII, one value of a multi-valued LO each.
            .. Text(0x00102180, "LO", "a\"b\\c\u007Fd\\e\u0000f\\g\u001Fh\\i\tj"),
            .. Text(0x00104000, "LT", "line one\r\nline\ttwo \\ back\x01\x1f </script>&'`+"),
            .. Text(0x00180015, "CS", "CHEST"),
            .. Text(0x00324000, "LT", "plain ascii note"),
        ];
        var ours = new DicomJsonWriter().Write(ParseHeader(DicomParserTests.Part10(dataSet))).ToArray();

        var canonical = new System.Buffers.ArrayBufferWriter<byte>();
        using (var document = JsonDocument.Parse(ours))
        using (var writer = new Utf8JsonWriter(canonical, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        Assert.Equal(Encoding.UTF8.GetString(canonical.WrittenSpan), Encoding.UTF8.GetString(ours));
        using var parsed = JsonDocument.Parse(ours);
        Assert.Equal("Chest \"PA\"\x7f\u00e9t\u00e9", parsed.RootElement.GetProperty("00081030").GetProperty("Value")[0].GetString());
        Assert.Equal("line one\r\nline\ttwo \\ back\x01\x1f </script>&'`+", parsed.RootElement.GetProperty("00104000").GetProperty("Value")[0].GetString());
        Assert.Contains("\"00324000\":{\"vr\":\"LT\",\"Value\":[\"plain ascii note\"]}", Encoding.UTF8.GetString(ours), StringComparison.Ordinal);
        Assert.Equal(["a\"b", "c\u007Fd", "e\u0000f", "g\u001Fh", "i\tj"], parsed.RootElement.GetProperty("00102180").GetProperty("Value").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("Ward 4\\Bay 2", parsed.RootElement.GetProperty("00080081").GetProperty("Value")[0].GetString());
    }

    [Theory]
    [InlineData(1, """{"00280103":{"vr":"US","Value":[1]},"00280106":{"vr":"SS","Value":[-1]}}""")]
    [InlineData(0, """{"00280103":{"vr":"US","Value":[0]},"00280106":{"vr":"US","Value":[65535]}}""")]
    public void In_implicit_VR_pixel_representation_decides_between_US_and_SS(ushort pixelRepresentation, string expected)
    {
        var representation = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(representation, pixelRepresentation);
        var dataSet = (byte[])[.. Implicit(0x00280103, representation), .. Implicit(0x00280106, [0xFF, 0xFF])];
        Assert.Equal(expected, Json(DicomParserTests.Part10(dataSet, "1.2.840.10008.1.2")));
    }

    [Fact]
    public void An_undefined_length_UN_holding_items_is_written_as_a_sequence()
    {
        // A private sequence a PACS re-encoded as UN of undefined length (PS3.5 §6.2.2): items in implicit VR.
        byte[] undefined = [0xFF, 0xFF, 0xFF, 0xFF];
        var dataSet = (byte[])[
            .. Explicit(0x00100020, "LO", "P1"),
            .. Explicit(0x00290010, "LO", "ACME"),
            .. Tag(0x00291011), (byte)'U', (byte)'N', 0, 0, .. undefined,
            .. Tag(0xFFFEE000), .. undefined, .. Implicit(0x00291001, "abc "u8.ToArray()), .. Tag(0xFFFEE00D), 0, 0, 0, 0,
            .. Tag(0xFFFEE0DD), 0, 0, 0, 0];
        Assert.Equal("""{"00100020":{"vr":"LO","Value":["P1"]},"00290010":{"vr":"LO","Value":["ACME"]},"00291011":{"vr":"SQ","Value":[{"00291001":{"vr":"UN"}}]}}""",
            Json(DicomParserTests.Part10(dataSet)));
    }

    [Fact]
    public void UC_keeps_its_leading_spaces_and_drops_its_trailing_ones()
    {
        // PS3.5 Table 6.2-1: only trailing spaces of UC are padding; LO's leading ones are too.
        var dataSet = (byte[])[.. ExplicitLong(0x00080119, "UC", "  abc\\ def  "u8.ToArray()), .. Explicit(0x00100020, "LO", "  P1")];
        Assert.Equal("""{"00080119":{"vr":"UC","Value":["  abc"," def"]},"00100020":{"vr":"LO","Value":["P1"]}}""", Json(DicomParserTests.Part10(dataSet)));

        var header = ParseHeader(DicomParserTests.Part10(dataSet));
        Assert.Equal(["  abc", " def"], header.GetStrings(0x00080119)!);
        Assert.Equal(["P1"], header.GetStrings(0x00100020)!);
    }

    [Fact]
    public void A_LUT_descriptor_of_signed_pixels_in_implicit_VR_stays_unsigned()
    {
        // 40,000 entries, first mapped value -1,000 (65,536 - 1,000 as stored), 16 bits: entries and bits are unsigned.
        var descriptor = new byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor, 40000);
        BinaryPrimitives.WriteInt16LittleEndian(descriptor.AsSpan(2), -1000);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor.AsSpan(4), 16);
        var dataSet = (byte[])[.. Implicit(0x00280103, [1, 0]), .. Implicit(0x00280106, [0x18, 0xFC]), .. Implicit(0x00283002, descriptor)];
        Assert.Equal("""{"00280103":{"vr":"US","Value":[1]},"00280106":{"vr":"SS","Value":[-1000]},"00283002":{"vr":"US","Value":[40000,64536,16]}}""",
            Json(DicomParserTests.Part10(dataSet, "1.2.840.10008.1.2")));
    }

    [Fact]
    public void An_unknown_VR_code_is_read_by_the_tag_it_is_on()
    {
        // A private tag: as every VR added since UN, reserved bytes and a 32-bit length. A known tag: its dictionary
        // VR, with the 16-bit length a writer that put a wrong code on it used.
        var dataSet = (byte[])[
            .. Explicit(0x00080060, "CS", "CT"),
            .. Tag(0x00080068), (byte)'U', (byte)'K', 16, 0, .. "FOR PRESENTATION"u8.ToArray(),
            .. ExplicitLong(0x00091001, "XX", "abcd"u8.ToArray()),
            .. Explicit(0x00100020, "LO", "P1")];
        Assert.Equal("""{"00080060":{"vr":"CS","Value":["CT"]},"00080068":{"vr":"CS","Value":["FOR PRESENTATION"]},"00091001":{"vr":"UN"},"00100020":{"vr":"LO","Value":["P1"]}}""",
            Json(DicomParserTests.Part10(dataSet)));
    }

    private static string Json(byte[] file) => new DicomJsonWriter().WriteString(ParseHeader(file));

    private static DicomHeader ParseHeader(byte[] file)
    {
        var header = new DicomHeader();
        Assert.Equal(DicomParseStatus.Complete, DicomParser.Parse(file, file.Length, header, DicomReadOptions.Default));
        return header;
    }

    private static byte[] Explicit(uint tag, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 1 ? value + " " : value);
        return [.. Tag(tag), (byte)vr[0], (byte)vr[1], (byte)bytes.Length, (byte)(bytes.Length >> 8), .. bytes];
    }

    private static byte[] ExplicitLong(uint tag, string vr, byte[] value)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)value.Length);
        return [.. Tag(tag), (byte)vr[0], (byte)vr[1], 0, 0, .. length, .. value];
    }

    private static byte[] Implicit(uint tag, byte[] value)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)value.Length);
        return [.. Tag(tag), .. length, .. value];
    }

    private static byte[] Tag(uint tag) => [(byte)(tag >> 16), (byte)(tag >> 24), (byte)tag, (byte)(tag >> 8)];

    /// <summary>Compares two data sets of the JSON model, element by element; returns the elements compared.</summary>
    private static int Compare(string where, JsonElement ours, JsonElement theirs, bool topLevel, List<string> differences)
    {
        var compared = 0;
        var keys = ours.EnumerateObject().Select(p => p.Name).Union(theirs.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            // The header ends before Pixel Data: it and what follows it are not read.
            if (topLevel && string.CompareOrdinal(key, "7FE00010") >= 0) continue;
            var at = $"{where} {key}";
            if (!ours.TryGetProperty(key, out var a))
            {
                differences.Add($"{at}: missing (pydicom {Short(theirs.GetProperty(key))})");
                continue;
            }

            if (!theirs.TryGetProperty(key, out var b))
            {
                differences.Add($"{at}: not in pydicom's ({Short(a)})");
                continue;
            }

            compared++;
            var vr = a.GetProperty("vr").GetString()!;
            var theirVr = b.GetProperty("vr").GetString()!;
            // An undefined-length UN is a sequence in implicit little endian (PS3.5 6.2.2); pydicom reads it as one.
            if (vr == "UN" && theirVr == "SQ") continue;
            // A private element of an implicit VR data set has no VR we could know; pydicom looks some up in its private dictionary.
            if (vr == "UN" && IsPrivate(key)) continue;
            if (vr != theirVr)
            {
                differences.Add($"{at}: VR {vr}, pydicom {theirVr}");
                continue;
            }

            if (BulkVRs.Contains(vr)) continue;
            var hasValue = a.TryGetProperty("Value", out var values);
            var theyHaveValue = b.TryGetProperty("Value", out var theirValues);
            if (hasValue != theyHaveValue)
            {
                differences.Add($"{at} {vr}: {(hasValue ? Short(values) : "no value")}, pydicom {(theyHaveValue ? Short(theirValues) : "no value")}");
                continue;
            }

            if (!hasValue) continue;
            if (values.GetArrayLength() != theirValues.GetArrayLength())
            {
                differences.Add($"{at} {vr}: {Short(values)}, pydicom {Short(theirValues)}");
                continue;
            }

            foreach (var (x, y) in values.EnumerateArray().Zip(theirValues.EnumerateArray()))
            {
                if (vr == "SQ")
                {
                    compared += Compare(at, x, y, topLevel: false, differences);
                }
                else if (!SameValue(x, y))
                {
                    differences.Add($"{at} {vr}: {Short(values)}, pydicom {Short(theirValues)}");
                    break;
                }
            }
        }

        return compared;
    }

    private static bool IsPrivate(string key) => (Convert.ToUInt32(key[..4], 16) & 1) == 1;

    private static bool SameValue(JsonElement ours, JsonElement theirs)
    {
        // An empty value of a multi-valued element is null in the JSON model (PS3.18 F.2.5); pydicom writes "".
        if (ours.ValueKind == JsonValueKind.Null) return theirs.ValueKind == JsonValueKind.Null || theirs.GetString() == string.Empty;
        if (ours.ValueKind == JsonValueKind.Number && theirs.ValueKind == JsonValueKind.Number) return ours.GetDouble() == theirs.GetDouble();
        // pydicom keeps the spaces inside a value of a multi-valued string ("DERIVED \PRIMARY"); they are padding, not part of it (PS3.5 6.2).
        if (ours.ValueKind == JsonValueKind.String && theirs.ValueKind == JsonValueKind.String) return ours.GetString() == theirs.GetString()!.TrimEnd(' ');
        if (ours.ValueKind == JsonValueKind.Object && theirs.ValueKind == JsonValueKind.Object)
        {
            // Person names: the same component groups with the same text.
            var a = ours.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
            var b = theirs.EnumerateObject().Where(p => p.Value.GetString() is { Length: > 0 }).ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
            return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
        }

        return ours.ValueKind == theirs.ValueKind && ours.GetRawText() == theirs.GetRawText();
    }

    private static string Short(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "…");
    }

    private static Dictionary<string, JsonDocument> RunPydicom(IReadOnlyList<string> paths)
    {
        var output = ToolProcess.Run("/usr/bin/python3", ["-c", PydicomScript, .. paths], PublicDicomFiles.Folder, TimeSpan.FromMinutes(2));
        Assert.True(output.ExitCode == 0, "/usr/bin/python3 with pydicom failed: " + output.Stderr);
        var stdout = Encoding.UTF8.GetString(output.Stdout);

        var documents = new Dictionary<string, JsonDocument>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var parsed = JsonDocument.Parse(line);
            var root = parsed.RootElement;
            if (!root.TryGetProperty("json", out var json)) continue;
            documents[root.GetProperty("file").GetString()!] = JsonDocument.Parse(json.GetRawText());
        }

        Assert.True(documents.Count >= 60, string.Create(CultureInfo.InvariantCulture, $"pydicom read only {documents.Count} of {paths.Count} files"));
        return documents;
    }
}

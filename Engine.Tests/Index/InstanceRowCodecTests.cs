using System.Reflection;
using Nccid.Batch.Index;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Tests.Index;

public sealed class InstanceRowCodecTests
{
    private static readonly PropertyInfo[] Properties = typeof(InstanceRow).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    [Fact]
    public void Every_property_of_a_row_survives_the_round_trip_exactly()
    {
        // A distinct value per property, found by reflection, so a property added to the row and not to the codec fails here.
        var row = new InstanceRow();
        var ordinal = 0;
        foreach (var property in Properties)
        {
            ordinal++;
            property.SetValue(row, SampleValue(property, ordinal));
        }

        var decoded = InstanceRowCodec.DecodeRow(InstanceRowCodec.EncodeRow(row), row.HeaderJson);

        AssertSame(row, decoded);
    }

    [Fact]
    public void Nulls_empty_lists_and_special_numbers_stay_what_they_were()
    {
        var empty = new InstanceRow { Path = "a/b.dcm", Status = InstanceRow.StatusError, Error = "truncated at byte 132" };
        AssertSame(empty, InstanceRowCodec.DecodeRow(InstanceRowCodec.EncodeRow(empty), null));

        var special = new InstanceRow
        {
            Path = "Ünïcode/ファイル 名.dcm",
            ModifiedUtc = new DateTime(2020, 2, 29, 23, 59, 59, DateTimeKind.Local).AddTicks(1),
            ImageType = [],
            SoftwareVersions = [string.Empty, "v1"],
            PixelSpacing = [double.NaN, -0.0],
            ImagerPixelSpacing = [],
            SliceThickness = double.NegativeInfinity,
            SpacingBetweenSlices = -0.0,
            KVP = double.Epsilon,
            ImagePositionPatient = [double.MaxValue, double.MinValue, double.PositiveInfinity],
            PixelDataEncapsulated = false,
            PixelDataLength = long.MaxValue,
            InstanceNumber = int.MinValue,
            StudyDate = DateOnly.MinValue,
            SeriesDate = DateOnly.MaxValue,
            HeaderJson = string.Empty,
        };
        var decoded = InstanceRowCodec.DecodeRow(InstanceRowCodec.EncodeRow(special), special.HeaderJson);
        AssertSame(special, decoded);
        Assert.True(double.IsNegative(decoded.SpacingBetweenSlices!.Value));
        Assert.True(double.IsNegative(decoded.PixelSpacing![1]));
        Assert.Equal(DateTimeKind.Local, decoded.ModifiedUtc.Kind);
    }

    [Fact]
    public void Encoding_leaves_the_row_as_it_was_and_keeps_header_json_out_of_the_payload()
    {
        var row = new InstanceRow { Path = "x.dcm", HeaderJson = "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"MARKER^TEXT\"}]}}" };
        var payload = InstanceRowCodec.EncodeRow(row);

        Assert.Equal("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"MARKER^TEXT\"}]}}", row.HeaderJson);
        Assert.Equal(-1, payload.AsSpan().IndexOf("MARKER"u8));
        Assert.Null(InstanceRowCodec.DecodeRow(payload, null).HeaderJson);
    }

    [Fact]
    public void A_damaged_payload_is_an_error_whatever_its_length()
    {
        var row = new InstanceRow { Path = "x.dcm", ImageType = ["ORIGINAL", "PRIMARY"], PixelSpacing = [0.5, 0.5], Rows = 512 };
        var payload = InstanceRowCodec.EncodeRow(row);

        for (var length = 0; length < payload.Length; length++)
        {
            var cut = payload.AsSpan(0, length).ToArray();
            Assert.Throws<InvalidDataException>(() => InstanceRowCodec.DecodeRow(cut, null));
        }

        Assert.Throws<InvalidDataException>(() => InstanceRowCodec.DecodeRow([.. payload, 0], null));
        Assert.Throws<InvalidDataException>(() => InstanceRowCodec.DecodeRow([99, .. payload.AsSpan(1)], null));

        // A list count far beyond the payload fails before it allocates.
        byte[] hugeList = [.. payload.AsSpan(0, 1), 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        Assert.Throws<InvalidDataException>(() => InstanceRowCodec.DecodeRow(hugeList, null));
    }

    private static object? SampleValue(PropertyInfo property, int ordinal)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(string)) return property.Name + " " + ordinal + " é";
        if (type == typeof(long)) return 1_000_000_000_000L + ordinal;
        if (type == typeof(int)) return -ordinal;
        if (type == typeof(double)) return ordinal + 0.125;
        if (type == typeof(bool)) return true;
        if (type == typeof(DateOnly)) return new DateOnly(1990, 1, 1).AddDays(ordinal);
        if (type == typeof(DateTime)) return new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(ordinal);
        if (type == typeof(IReadOnlyList<string>)) return new[] { property.Name, ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (type == typeof(IReadOnlyList<double>)) return new[] { ordinal, -0.5, double.NaN };
        throw new InvalidOperationException($"The test has no sample value for {property.Name} of type {property.PropertyType}.");
    }

    private static void AssertSame(InstanceRow expected, InstanceRow actual)
    {
        foreach (var property in Properties)
        {
            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            switch (want)
            {
                case IReadOnlyList<double> doubles:
                    var gotDoubles = Assert.IsAssignableFrom<IReadOnlyList<double>>(got);
                    Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), gotDoubles.Select(BitConverter.DoubleToInt64Bits));
                    break;
                case IReadOnlyList<string> strings:
                    Assert.Equal(strings, Assert.IsAssignableFrom<IReadOnlyList<string>>(got));
                    break;
                case double value:
                    Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(Assert.IsType<double>(got)));
                    break;
                case DateTime time:
                    var gotTime = Assert.IsType<DateTime>(got);
                    Assert.Equal((time.Ticks, time.Kind), (gotTime.Ticks, gotTime.Kind));
                    break;
                default:
                    Assert.True(Equals(want, got), $"{property.Name}: expected {want ?? "null"}, got {got ?? "null"}");
                    break;
            }
        }
    }
}

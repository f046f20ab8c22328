using System.Text.RegularExpressions;
using Nccid.Batch.Tables;
using Xunit;
using C = Nccid.Batch.Tables.ColumnType;

namespace Nccid.Batch.Tests.Tables;

public sealed partial class InstancesTableTests
{
    private static readonly (string Name, ColumnType Type, bool Nullable)[] Expected =
    [
        ("path", C.String, false), ("size_bytes", C.Int64, false), ("modified_utc", C.Timestamp, false),
        ("status", C.String, false), ("error", C.String, true), ("header_bytes", C.Int64, false),
        ("TransferSyntaxUID", C.String, true), ("SOPClassUID", C.String, true), ("SOPInstanceUID", C.String, true),
        ("StudyInstanceUID", C.String, true), ("SeriesInstanceUID", C.String, true), ("FrameOfReferenceUID", C.String, true),
        ("Modality", C.String, true), ("PatientID", C.String, true), ("PatientSex", C.String, true), ("PatientAge", C.String, true),
        ("StudyDate", C.Date, true), ("SeriesDate", C.Date, true), ("AcquisitionDate", C.Date, true), ("StudyTime", C.String, true),
        ("StudyDescription", C.String, true), ("SeriesDescription", C.String, true), ("SeriesNumber", C.Int32, true),
        ("InstanceNumber", C.Int32, true), ("AccessionNumber", C.String, true), ("BodyPartExamined", C.String, true),
        ("ViewPosition", C.String, true), ("ImageType", C.StringList, true), ("Manufacturer", C.String, true),
        ("ManufacturerModelName", C.String, true), ("SoftwareVersions", C.StringList, true), ("InstitutionName", C.String, true),
        ("StationName", C.String, true), ("Rows", C.Int32, true), ("Columns", C.Int32, true), ("NumberOfFrames", C.Int32, true),
        ("BitsAllocated", C.Int32, true), ("BitsStored", C.Int32, true), ("PixelRepresentation", C.Int32, true),
        ("SamplesPerPixel", C.Int32, true), ("PhotometricInterpretation", C.String, true), ("PixelSpacing", C.DoubleList, true),
        ("ImagerPixelSpacing", C.DoubleList, true), ("SliceThickness", C.Double, true), ("SpacingBetweenSlices", C.Double, true),
        ("ImagePositionPatient", C.DoubleList, true), ("ImageOrientationPatient", C.DoubleList, true), ("KVP", C.Double, true),
        ("ConvolutionKernel", C.StringList, true), ("ContrastBolusAgent", C.String, true), ("SpecificCharacterSet", C.StringList, true),
        ("BurnedInAnnotation", C.String, true), ("PatientIdentityRemoved", C.String, true), ("DeidentificationMethod", C.String, true),
        ("pixel_data_length", C.Int64, true), ("pixel_data_encapsulated", C.Boolean, true), ("private_element_count", C.Int32, true),
        ("element_count", C.Int32, true), ("header_json", C.String, true),
    ];

    [Fact]
    public void Columns_have_the_specified_names_types_and_nullability_in_order()
    {
        Assert.Equal(Expected, InstancesTable.Schema.Columns.Select(c => (c.Name, c.Type, c.Nullable)));
    }

    [Fact]
    public void Parquet_schema_has_one_top_level_field_per_column_in_order()
    {
        Assert.Equal(
            InstancesTable.Schema.Columns.Select(c => c.Name),
            InstancesTable.Schema.ParquetSchema.Fields.Select(f => f.Name));
    }

    [Fact]
    public void DICOM_keyword_columns_are_described_by_their_tag()
    {
        var keywordColumns = InstancesTable.Schema.Columns.Where(c => char.IsUpper(c.Name[0])).ToList();

        Assert.Equal(48, keywordColumns.Count);
        Assert.All(keywordColumns, c => Assert.Matches(TagPrefix(), c.Description));
        Assert.Equal("(0008,0018) SOP Instance UID", InstancesTable.Schema.Columns.Single(c => c.Name == "SOPInstanceUID").Description);
    }

    [Fact]
    public void Every_column_has_a_one_line_description()
    {
        Assert.All(InstancesTable.Schema.Columns, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Description), c.Name);
            Assert.DoesNotContain('\n', c.Description);
        });
    }

    [GeneratedRegex(@"^\([0-9A-F]{4},[0-9A-F]{4}\) \S")]
    private static partial Regex TagPrefix();
}

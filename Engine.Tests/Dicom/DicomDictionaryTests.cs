using System.Diagnostics;
using System.Text;
using Nccid.Batch.Dicom;
using Xunit;

namespace Nccid.Batch.Tests.Dicom;

public class DicomDictionaryTests
{
    [Fact]
    public void PatientID_is_LO_with_VM_1()
    {
        Assert.True(DicomDictionary.TryGet(0x00100020, out var entry));
        Assert.Equal(new DicomDictionaryEntry(0x00100020, 0xFFFFFFFF, DicomVR.LO, DicomVR.None, "1", "PatientID", false), entry);
        Assert.Equal(0x00100020u, DicomTags.PatientID);
        Assert.Equal(DicomVR.LO, DicomDictionary.LookupVR(DicomTags.PatientID));
    }

    [Fact]
    public void PixelData_is_OB_with_alternate_OW_and_OW_when_implicit()
    {
        Assert.True(DicomDictionary.TryGet(0x7FE00010, out var entry));
        Assert.Equal("PixelData", entry.Keyword);
        Assert.Equal(DicomVR.OB, entry.VR);
        Assert.Equal(DicomVR.OW, entry.AlternateVR);
        Assert.Equal(DicomVR.OW, DicomDictionary.LookupVR(DicomTags.PixelData));
    }

    [Fact]
    public void OverlayData_in_group_6002_resolves_through_its_mask_to_OW()
    {
        Assert.True(DicomDictionary.TryGet(0x60023000, out var entry));
        Assert.Equal("OverlayData", entry.Keyword);
        Assert.Equal(0x60003000u, entry.Tag);
        Assert.Equal(0xFF01FFFFu, entry.Mask);
        Assert.False(entry.IsExact);
        Assert.Equal(DicomVR.OB, entry.VR);
        Assert.Equal(DicomVR.OW, entry.AlternateVR);
        Assert.Equal(DicomVR.OW, DicomDictionary.LookupVR(0x60023000));
        Assert.Equal("OverlayData", DicomDictionary.GetKeyword(0x601E3000));
    }

    [Fact]
    public void Overlay_rows_in_odd_group_6001_are_private_not_overlay()
    {
        Assert.Equal(DicomVR.US, DicomDictionary.LookupVR(0x60020010));
        Assert.Equal(DicomVR.LO, DicomDictionary.LookupVR(0x60010010));
        Assert.Equal(DicomVR.None, DicomDictionary.LookupVR(0x60013000));
        Assert.False(DicomDictionary.TryGet(0x60013000, out _));
    }

    [Fact]
    public void Source_image_IDs_element_range_resolves_to_CS()
    {
        Assert.True(DicomDictionary.TryGet(0x00203142, out var entry));
        Assert.Equal("SourceImageIDs", entry.Keyword);
        Assert.Equal(DicomVR.CS, entry.VR);
        Assert.True(entry.Retired);
    }

    [Fact]
    public void Red_palette_colour_LUT_data_is_OW()
    {
        Assert.True(DicomDictionary.TryGet(0x00281201, out var entry));
        Assert.Equal("RedPaletteColorLookupTableData", entry.Keyword);
        Assert.Equal(DicomVR.OW, entry.VR);
        Assert.Equal(DicomVR.None, entry.AlternateVR);
        Assert.False(entry.Retired);
    }

    [Fact]
    public void Pseudo_VRs_map_to_a_VR_and_an_alternate()
    {
        AssertVRs(DicomTags.SmallestImagePixelValue, DicomVR.US, DicomVR.SS);
        AssertVRs(DicomTags.LUTData, DicomVR.OW, DicomVR.US);
        AssertVRs(DicomTags.WaveformData, DicomVR.OB, DicomVR.OW);
        AssertVRs(DicomTags.OffsetOfTheNextDirectoryRecord, DicomVR.UL, DicomVR.None);
        AssertVRs(DicomTags.Item, DicomVR.None, DicomVR.None);
        AssertVRs(DicomTags.SelectorUNValue, DicomVR.UN, DicomVR.None);

        static void AssertVRs(uint tag, DicomVR vr, DicomVR alternate)
        {
            Assert.True(DicomDictionary.TryGet(tag, out var entry));
            Assert.Equal((vr, alternate), (entry.VR, entry.AlternateVR));
        }
    }

    [Fact]
    public void RecognitionCode_is_retired_and_keeps_its_keyword_without_prefix()
    {
        Assert.True(DicomDictionary.TryGet(0x00080010, out var entry));
        Assert.True(entry.Retired);
        Assert.Equal("RecognitionCode", entry.Keyword);
        Assert.Equal(DicomVR.SH, entry.VR);
        Assert.True(DicomDictionary.TryGet(DicomTags.StudyDate, out var current));
        Assert.False(current.Retired);
    }

    [Fact]
    public void Group_length_of_a_private_group_is_UL()
    {
        Assert.Equal(DicomVR.UL, DicomDictionary.LookupVR(0x00090000));
        Assert.Equal(DicomVR.UL, DicomDictionary.LookupVR(0x00280000));
    }

    [Fact]
    public void Private_creator_is_LO()
    {
        Assert.Equal(DicomVR.LO, DicomDictionary.LookupVR(0x00290010));
        Assert.Equal(DicomVR.LO, DicomDictionary.LookupVR(0x002900FF));
    }

    [Fact]
    public void Unknown_private_and_public_tags_have_no_VR()
    {
        Assert.Equal(DicomVR.None, DicomDictionary.LookupVR(0x00291010));
        Assert.Equal(DicomVR.None, DicomDictionary.LookupVR(0x00290001));
        Assert.Equal(DicomVR.None, DicomDictionary.LookupVR(0x0010FFF0));
        Assert.False(DicomDictionary.TryGet(0x0010FFF0, out _));
        Assert.Null(DicomDictionary.GetKeyword(0x00291010));
    }

    [Fact]
    public void Every_exact_entry_round_trips_through_its_keyword()
    {
        var exact = 0;
        foreach (var tag in typeof(DicomTags).GetFields().Select(f => (uint)f.GetRawConstantValue()!))
        {
            var keyword = DicomDictionary.GetKeyword(tag);
            Assert.NotNull(keyword);
            Assert.True(DicomDictionary.TryGetTag(keyword, out var back), keyword);
            Assert.Equal(tag, back);
            Assert.True(DicomDictionary.TryGet(tag, out var entry));
            Assert.Equal(keyword, entry.Keyword);
            Assert.True(entry.IsExact);
            exact++;
        }

        Assert.True(exact > 4000, $"only {exact} exact entries");
        Assert.Equal(DicomTags.PatientName, typeof(DicomTags).GetField("PatientName")!.GetRawConstantValue());
    }

    [Fact]
    public void Dictionary_holds_more_than_4000_entries()
    {
        Assert.True(DicomDictionary.Count > 4000, $"Count is {DicomDictionary.Count}");
    }

    [Fact]
    public void Repeating_group_keyword_gives_the_first_tag_of_its_range()
    {
        Assert.True(DicomDictionary.TryGetTag("OverlayData", out var tag));
        Assert.Equal(0x60003000u, tag);
        Assert.False(DicomDictionary.TryGetTag("NoSuchKeyword", out _));
    }

    [Fact]
    public void LookupVR_does_not_allocate()
    {
        uint[] tags = [0x00100020, 0x7FE00010, 0x60023000, 0x00290010, 0x00291010, 0x00090000, 0x0010FFF0];
        foreach (var tag in tags)
        {
            DicomDictionary.LookupVR(tag);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0;
        for (var i = 0; i < 1000; i++)
        {
            foreach (var tag in tags)
            {
                sum += (int)DicomDictionary.LookupVR(tag);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sum);
    }

    [Fact]
    public void Explicit_VR_little_endian_is_a_transfer_syntax()
    {
        Assert.True(DicomUidDictionary.TryGet("1.2.840.10008.1.2.1", out var entry));
        Assert.Equal("Explicit VR Little Endian", entry.Name);
        Assert.Equal("Transfer Syntax", entry.Type);
        Assert.Equal("ExplicitVRLittleEndian", entry.Keyword);
        Assert.False(entry.Retired);
        Assert.True(DicomUidDictionary.IsTransferSyntax("1.2.840.10008.1.2.1"));
        Assert.True(DicomUidDictionary.IsTransferSyntax("1.2.840.10008.1.2.2"));
    }

    [Fact]
    public void Computed_radiography_image_storage_is_a_SOP_class()
    {
        Assert.True(DicomUidDictionary.TryGet("1.2.840.10008.5.1.4.1.1.1", out var entry));
        Assert.Equal("Computed Radiography Image Storage", entry.Name);
        Assert.Equal("SOP Class", entry.Type);
        Assert.False(DicomUidDictionary.IsTransferSyntax("1.2.840.10008.5.1.4.1.1.1"));
        Assert.False(DicomUidDictionary.IsTransferSyntax("1.2.3.4"));
    }

    [Fact]
    public void Explicit_VR_big_endian_is_retired()
    {
        Assert.True(DicomUidDictionary.TryGet("1.2.840.10008.1.2.2", out var entry));
        Assert.True(entry.Retired);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.4.50")]
    [InlineData("1.2.840.10008.5.1.4.1.1.1")]
    [InlineData("1.2.840.10008.5.1.4.1.1.1.1")]
    [InlineData("1.2.840.10008.1.2.1.")]
    [InlineData("1.2.3")]
    [InlineData("")]
    public void Byte_span_UID_lookup_matches_string_lookup(string uid)
    {
        var byString = DicomUidDictionary.TryGet(uid, out var fromString);
        var bySpan = DicomUidDictionary.TryGet(Encoding.ASCII.GetBytes(uid), out var fromSpan);
        Assert.Equal(byString, bySpan);
        Assert.Equal(fromString, fromSpan);
    }

    [Fact]
    public void Byte_span_UID_lookup_does_not_allocate()
    {
        var uid = "1.2.840.10008.1.2.1"u8;
        DicomUidDictionary.TryGet(uid, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = DicomUidDictionary.TryGet(uid, out var entry);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(found);
        Assert.Equal("Explicit VR Little Endian", entry.Name);
    }

    [Fact]
    public void Byte_span_UID_lookup_rejects_non_ASCII_and_overlong_values()
    {
        Assert.False(DicomUidDictionary.TryGet([0x31, 0x2E, 0xC3, 0xA9], out _));
        Assert.False(DicomUidDictionary.TryGet(new byte[65], out _));
    }

    [Fact]
    public async Task Committed_generated_files_match_the_generator()
    {
        var root = Nccid.Batch.Tests.Fixtures.RepositoryRoot.Find();
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("scripts/generate-dictionary.py");
        start.ArgumentList.Add("--check");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"generate-dictionary.py --check exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}

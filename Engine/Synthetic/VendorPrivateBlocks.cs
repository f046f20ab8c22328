using Nccid.Batch.Dicom;

namespace Nccid.Batch.Synthetic;

/// <summary>Typical private blocks per vendor, and the private LO where sites leave free-text notes.</summary>
internal static class VendorPrivateBlocks
{
    public static DicomTag Add(DicomDataSetBuilder dataSet, SeriesPlan series)
    {
        switch (series.Vendor.Name)
        {
            case "GE":
                var ge = dataSet.AddPrivateBlock(0x0009, 0x10, "GEMS_IDEN_01")
                    .AddString(0x01, DicomVR.LO, "GE_GENESIS_DD")
                    .AddString(0x02, DicomVR.SH, series.Kind == SyntheticImagingKind.Ct ? "CT01" : "XR01")
                    .AddString(0x04, DicomVR.SH, series.Model.Length > 16 ? series.Model[..16] : series.Model);
                if (series.Kind == SyntheticImagingKind.Ct)
                {
                    dataSet.AddPrivateBlock(0x0043, 0x10, "GEMS_PARM_01")
                        .AddString(0x27, DicomVR.SH, "/1.0:1")
                        .AddUInt16(0x2D, 0);
                }

                return ge.TagOf(0x30);
            case "Siemens":
                dataSet.AddPrivateBlock(0x0029, 0x10, "SIEMENS CSA HEADER")
                    .AddString(0x08, DicomVR.CS, "IMAGE NUM 4")
                    .AddString(0x09, DicomVR.LO, "20180912")
                    .AddBytes(0x10, DicomVR.OB, "SV10\u0004\u0003\u0002\u0001\u0000\u0000\u0000\u0000M\u0000\u0000\u0000"u8.ToArray());
                return dataSet.AddPrivateBlock(0x0029, 0x11, "SIEMENS MEDCOM HEADER2").TagOf(0x60);
            case "Philips":
                return dataSet.AddPrivateBlock(0x2001, 0x10, "Philips Imaging DD 001")
                    .AddString(0x0B, DicomVR.CS, "TRANSVERSAL")
                    .AddUInt32(0x1D, 1)
                    .TagOf(0x60);
            case "Canon":
                return dataSet.AddPrivateBlock(0x7005, 0x10, "TOSHIBA_MEC_CT3")
                    .AddString(0x08, DicomVR.LO, "ORG")
                    .AddFloat64(0x0B, 0.5)
                    .TagOf(0x30);
            case "Fujifilm":
                return dataSet.AddPrivateBlock(0x0009, 0x10, "FDMS 1.0")
                    .AddString(0x04, DicomVR.SH, "FCR")
                    .AddBytes(0x05, DicomVR.OW, new byte[16])
                    .AddUInt32(0x06, 400)
                    .TagOf(0x30);
            case "Agfa":
                return dataSet.AddPrivateBlock(0x0019, 0x10, "AGFA")
                    .AddString(0x10, DicomVR.SH, "MUSICA2")
                    .AddString(0x13, DicomVR.LO, "Chest " + series.ViewPosition)
                    .TagOf(0x50);
            default:
                return dataSet.AddPrivateBlock(0x0029, 0x10, "CARESTREAM IMAGE INFORMATION")
                    .AddString(0x10, DicomVR.LO, "EVP 2.1")
                    .AddUInt16(0x15, 1)
                    .TagOf(0x30);
        }
    }
}

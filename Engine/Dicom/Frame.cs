namespace Nccid.Batch.Dicom;

/// <summary>The kind of an open container on the parser's stack.</summary>
internal enum FrameKind : byte
{
    Sequence,
    Item,
    Fragments,
}

/// <summary>An open sequence, item or run of pixel data fragments on the parser's stack.</summary>
internal struct Frame
{
    public int Record;
    public long End;
    public FrameKind Kind;
    public bool Implicit;
    public bool BigEndian;
    public long Start;
}

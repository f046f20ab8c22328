namespace Nccid.Batch.Dicom;

/// <summary>
/// The delimiters that return a value to its initial character set (PS3.5 §6.1.2.5.3), beyond the
/// control characters, which always do.
/// </summary>
[Flags]
internal enum ValueDelimiters : byte
{
    /// <summary>Single-valued text (LT, ST, UT): only control characters reset.</summary>
    None = 0,

    /// <summary>The value delimiter '\' of multi-valued strings.</summary>
    Backslash = 1,

    /// <summary>The person-name component delimiter '^' and component-group delimiter '='.</summary>
    PersonName = 2,
}

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>An action code of PS3.15 Table E.1-1 (Section E.3.1 defines them).</summary>
internal enum ProfileAction : byte
{
    /// <summary>No entry in the column: the option leaves the basic action alone.</summary>
    None,

    /// <summary>D: replace with a non-zero length dummy value.</summary>
    D,

    /// <summary>Z: replace with a zero length value, or a dummy.</summary>
    Z,

    /// <summary>X: remove.</summary>
    X,

    /// <summary>K: keep.</summary>
    K,

    /// <summary>C: clean (keep, with identifying information replaced).</summary>
    C,

    /// <summary>U: replace with a non-zero length UID that is internally consistent.</summary>
    U,

    /// <summary>Z/D: Z unless D is needed to stay conformant.</summary>
    ZD,

    /// <summary>X/Z: X unless Z is needed to stay conformant.</summary>
    XZ,

    /// <summary>X/D: X unless D is needed to stay conformant.</summary>
    XD,

    /// <summary>X/Z/D: X unless Z or D is needed to stay conformant.</summary>
    XZD,

    /// <summary>X/Z/U*: X unless Z or replacement of the UIDs inside the sequence is needed to stay conformant.</summary>
    XZU,
}

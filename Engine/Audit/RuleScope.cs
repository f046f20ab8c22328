namespace Nccid.Batch.Audit;

/// <summary>What a rule looks at: one file, one instance, or a group of them.</summary>
public enum RuleScope
{
    /// <summary>The file as bytes: readable, DICOM, complete.</summary>
    File,

    /// <summary>One instance's attributes.</summary>
    Instance,

    /// <summary>All instances of one series.</summary>
    Series,

    /// <summary>All instances of one study.</summary>
    Study,

    /// <summary>All studies of one patient.</summary>
    Patient,

    /// <summary>The whole release.</summary>
    Release,
}

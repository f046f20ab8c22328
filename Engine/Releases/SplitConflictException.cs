namespace Nccid.Batch.Releases;

/// <summary>A patient would land in both training and validation: the release stops.</summary>
public sealed class SplitConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SplitConflictException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SplitConflictException() { }

    /// <summary>Creates the exception.</summary>
    public SplitConflictException(string message, Exception inner) : base(message, inner) { }
}

namespace Nccid.Batch.Releases;

/// <summary>
/// A release refused before publishing by one of its checks (identifying attributes in a table, objects that could
/// not be read under <c>onReadError: fail</c>); the message says what was found, where, and how to proceed.
/// Nothing is published.
/// </summary>
public sealed class ReleaseCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReleaseCheckException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ReleaseCheckException() { }

    /// <summary>Creates the exception.</summary>
    public ReleaseCheckException(string message, Exception inner) : base(message, inner) { }
}

namespace Nccid.Batch.Audit;

/// <summary>An audit profile that cannot be used; the message names the file, the place and the reason.</summary>
public sealed class AuditProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditProfileException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public AuditProfileException() { }

    /// <summary>Creates the exception.</summary>
    public AuditProfileException(string message, Exception inner) : base(message, inner) { }
}

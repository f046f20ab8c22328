namespace Nccid.Batch.Releases;

/// <summary>A job file that cannot be used; the message names the file, the JSON path, the problem and what is allowed.</summary>
public sealed class JobFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobFileException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public JobFileException() { }

    /// <summary>Creates the exception.</summary>
    public JobFileException(string message, Exception inner) : base(message, inner) { }
}

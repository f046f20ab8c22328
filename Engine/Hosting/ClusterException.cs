namespace Nccid.Batch.Hosting;

/// <summary>The cluster's database cannot be used: unreachable, a bad connection string, or a schema that is missing (run <c>cluster init</c>).</summary>
public sealed class ClusterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterException()
    {
    }

    /// <summary>Creates the exception with a message for people.</summary>
    public ClusterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for people and the cause.</summary>
    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

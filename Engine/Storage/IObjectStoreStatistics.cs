namespace Nccid.Batch.Storage;

/// <summary>A store that counts what it asked of its storage service and says how it listed.</summary>
public interface IObjectStoreStatistics
{
    /// <summary>The counters so far and the listing used; complete once a listing has finished.</summary>
    StorageStatistics Statistics { get; }
}

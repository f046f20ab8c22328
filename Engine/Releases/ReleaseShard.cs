namespace Nccid.Batch.Releases;

/// <summary>One shard of a release: the objects of one submitting centre, or of one key-hash bucket of a large centre.</summary>
/// <param name="Number">The shard's number, from 0, in the order of (centre, bucket).</param>
/// <param name="Centre">The submitting centre.</param>
/// <param name="Bucket">The key-hash bucket within the centre (0 when the centre is one shard).</param>
/// <param name="Objects">Objects listed in the shard.</param>
public sealed record ReleaseShard(int Number, string Centre, int Bucket, long Objects);

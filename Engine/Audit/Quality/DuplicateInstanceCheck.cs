using System.Buffers;
using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Release rule: one SOP Instance UID in several files. Files are grouped by content, cheaply first (size and
/// header hash must match) and then byte for byte through the store, so a harmless second copy is told apart
/// from two different instances sharing a UID.
/// </summary>
internal sealed class DuplicateInstanceCheck : ICollectionCheck
{
    private const int ChunkBytes = 64 << 10;
    private static readonly string SopInstancePath = TagPath.Of(DicomTags.SOPInstanceUID);
    private readonly Dictionary<string, List<InstanceFacts>> _byUid = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } = [QualityRules.DuplicateIdenticalFile, QualityRules.DuplicateConflictingContent];

    /// <inheritdoc />
    public void Observe(InstanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Readable || string.IsNullOrEmpty(facts.SopInstanceUid)) return;
        if (!_byUid.TryGetValue(facts.SopInstanceUid, out var files))
        {
            files = new List<InstanceFacts>(1);
            _byUid.Add(facts.SopInstanceUid, files);
        }

        files.Add(facts);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        var uids = new List<string>();
        foreach (var (uid, files) in _byUid)
        {
            if (files.Count > 1) uids.Add(uid);
        }

        uids.Sort(StringComparer.Ordinal);
        foreach (var uid in uids)
        {
            var files = _byUid[uid];
            files.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
            var classes = await ContentClassesAsync(context.Store, files, cancellationToken).ConfigureAwait(false);
            var distinct = 0;
            var sizes = new int[files.Count];
            foreach (var c in classes) sizes[c]++;
            foreach (var size in sizes)
            {
                if (size > 0) distinct++;
            }

            for (var i = 0; i < files.Count; i++)
            {
                var f = files[i];
                if (sizes[classes[i]] > 1)
                {
                    findings.Report(QualityRules.DuplicateIdenticalFile, f.Path, uid, SopInstancePath, string.Create(CultureInfo.InvariantCulture,
                        $"This file is byte-identical to {sizes[classes[i]] - 1} other file(s) with SOPInstanceUID {uid}."));
                }

                if (distinct > 1)
                {
                    findings.Report(QualityRules.DuplicateConflictingContent, f.Path, uid, SopInstancePath, string.Create(CultureInfo.InvariantCulture,
                        $"{files.Count} files carry SOPInstanceUID {uid} with {distinct} different contents."));
                }
            }
        }
    }

    /// <summary>For each file, the index of the first file with the same bytes.</summary>
    private static async ValueTask<int[]> ContentClassesAsync(IObjectStore store, List<InstanceFacts> files, CancellationToken cancellationToken)
    {
        var classes = new int[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            classes[i] = i;
            for (var j = 0; j < i; j++)
            {
                if (classes[j] != j || !MaySame(files[i], files[j])) continue;
                if (await SameBytesAsync(store, files[i], files[j], cancellationToken).ConfigureAwait(false))
                {
                    classes[i] = j;
                    break;
                }
            }
        }

        return classes;
    }

    private static bool MaySame(InstanceFacts a, InstanceFacts b) =>
        a.Size == b.Size && (a.HeaderHash is null || b.HeaderHash is null || a.HeaderHash.AsSpan().SequenceEqual(b.HeaderHash));

    private static async ValueTask<bool> SameBytesAsync(IObjectStore store, InstanceFacts a, InstanceFacts b, CancellationToken cancellationToken)
    {
        var left = new StoredObject(a.Path, a.Size, default);
        var right = new StoredObject(b.Path, b.Size, default);
        var bufferA = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var bufferB = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long offset = 0;
            while (true)
            {
                var n = await ReadFullyAsync(store, left, offset, bufferA, cancellationToken).ConfigureAwait(false);
                var m = await ReadFullyAsync(store, right, offset, bufferB, cancellationToken).ConfigureAwait(false);
                if (n != m || !bufferA.AsSpan(0, n).SequenceEqual(bufferB.AsSpan(0, m))) return false;
                if (n < ChunkBytes) return true;
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bufferA);
            ArrayPool<byte>.Shared.Return(bufferB);
        }
    }

    private static async ValueTask<int> ReadFullyAsync(IObjectStore store, StoredObject storedObject, long offset, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkBytes)
        {
            var n = await store.ReadAsync(storedObject, offset + filled, buffer.AsMemory(filled, ChunkBytes - filled), cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            filled += n;
        }

        return filled;
    }
}

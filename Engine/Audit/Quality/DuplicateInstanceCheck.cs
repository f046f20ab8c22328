using System.Buffers;
using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Audit.Quality;

/// <summary>
/// Release rule: one SOP Instance UID in several files. Files are grouped by content, cheaply first (size and
/// header hash must match) and then byte for byte through the store, so a harmless second copy is told apart
/// from two different instances sharing a UID. The facts are sorted by UID through an <see cref="ExternalSorter{T}"/>,
/// so memory holds one UID's files at a time, not every instance's.
/// </summary>
internal sealed class DuplicateInstanceCheck(CollectionScratch scratch) : ICollectionCheck
{
    private const int ChunkBytes = 64 << 10;
    private static readonly string SopInstancePath = TagPath.Of(DicomTags.SOPInstanceUID);

    private static readonly IComparer<InstanceFacts> ByUidThenPath = Comparer<InstanceFacts>.Create(static (a, b) =>
    {
        var c = string.CompareOrdinal(a.SopInstanceUid, b.SopInstanceUid);
        return c != 0 ? c : string.CompareOrdinal(a.Path, b.Path);
    });

    private readonly ExternalSorter<InstanceFacts> _byUid = new(ByUidThenPath, InstanceFactsCodec.ForDuplicates, scratch.Directory, scratch.FactsInMemory);
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);
    private readonly List<(string Uid, string Path)> _sharedAt = [];

    /// <inheritdoc />
    public IReadOnlyList<AuditRule> Rules { get; } = [QualityRules.DuplicateIdenticalFile, QualityRules.DuplicateConflictingContent];

    /// <summary>The SOP Instance UIDs that more than one readable file carries, known once <see cref="CompleteAsync"/> has run.</summary>
    public IReadOnlySet<string> SharedUids => _shared;

    /// <summary>Each UID of <see cref="SharedUids"/> with the path of its first file (ordinal order), in UID order.</summary>
    public IReadOnlyList<(string Uid, string Path)> SharedUidsAt => _sharedAt;

    /// <inheritdoc />
    public void Observe(InstanceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Readable || string.IsNullOrEmpty(facts.SopInstanceUid)) return;
        _byUid.Add(facts);
    }

    /// <inheritdoc />
    public void AddGroupKeys(InstanceFacts facts, ICollection<ulong> keys)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(keys);
        if (facts.Readable && !string.IsNullOrEmpty(facts.SopInstanceUid)) keys.Add(CollectionKeys.Of('u', facts.SopInstanceUid));
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CollectionContext context, FindingCollector findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        try
        {
            // Sorted by UID, then path: each UID's files arrive together, in path order.
            var files = new List<InstanceFacts>();
            foreach (var f in _byUid.Sorted())
            {
                if (files.Count > 0 && !string.Equals(files[0].SopInstanceUid, f.SopInstanceUid, StringComparison.Ordinal))
                {
                    await CheckAsync(context.Store, files, findings, cancellationToken).ConfigureAwait(false);
                    files.Clear();
                }

                files.Add(f);
            }

            await CheckAsync(context.Store, files, findings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _byUid.Dispose();
        }
    }

    private async ValueTask CheckAsync(IObjectStore store, List<InstanceFacts> files, FindingCollector findings, CancellationToken cancellationToken)
    {
        if (files.Count < 2) return;
        cancellationToken.ThrowIfCancellationRequested();
        var uid = files[0].SopInstanceUid!;
        _shared.Add(uid);
        _sharedAt.Add((uid, files[0].Path));
        var classes = await ContentClassesAsync(store, files, cancellationToken).ConfigureAwait(false);
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
                findings.Report(QualityRules.DuplicateIdenticalFile, f, SopInstancePath, string.Create(CultureInfo.InvariantCulture,
                    $"This file is byte-identical to {sizes[classes[i]] - 1} other file(s) with SOPInstanceUID {uid}."));
            }

            if (distinct > 1)
            {
                findings.Report(QualityRules.DuplicateConflictingContent, f, SopInstancePath, string.Create(CultureInfo.InvariantCulture,
                    $"{files.Count} files carry SOPInstanceUID {uid} with {distinct} different contents."));
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

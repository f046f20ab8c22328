using Nccid.Batch.Dicom;

namespace Nccid.Batch.Pipeline;

/// <summary>Live counters of a running scan, updated by the workers and read by progress displays.</summary>
public sealed class ScanProgress
{
    private long _listed;
    private long _done;
    private long _errors;
    private long _bytesStored;
    private long _bytesRead;
    private long _requests;
    private long _excluded;
    private long _reused;
    private long _reusedBytesRead;
    private long _reusedRequests;
    private readonly long[] _errorsByKind = new long[Enum.GetValues<DicomErrorKind>().Length];

    /// <summary>Objects found by the listing so far.</summary>
    public long Listed => Interlocked.Read(ref _listed);

    /// <summary>Objects listed but left out by the include patterns.</summary>
    public long Excluded => Interlocked.Read(ref _excluded);

    /// <summary>Objects read, parsed and written.</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Objects whose row was taken from an earlier run's index instead of being read (counted in <see cref="Done"/> too).</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Objects that became error rows.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Bytes stored in the objects done.</summary>
    public long BytesStored => Interlocked.Read(ref _bytesStored);

    /// <summary>Bytes read to make the rows, by this run or, for <see cref="Reused"/> rows, by the run that made them.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Range reads that made the rows, counted as <see cref="BytesRead"/> is.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The part of <see cref="BytesRead"/> that earlier runs read, for the rows this run reused.</summary>
    public long ReusedBytesRead => Interlocked.Read(ref _reusedBytesRead);

    /// <summary>The part of <see cref="Requests"/> that earlier runs issued, for the rows this run reused.</summary>
    public long ReusedRequests => Interlocked.Read(ref _reusedRequests);

    /// <summary>True once the listing has finished, so <see cref="Listed"/> is the total.</summary>
    public bool ListingComplete { get; internal set; }

    internal void OnListed() => Interlocked.Increment(ref _listed);

    internal void OnExcluded() => Interlocked.Increment(ref _excluded);

    /// <summary>Error rows so far, by kind (only kinds that occurred).</summary>
    public IReadOnlyDictionary<DicomErrorKind, long> ErrorsByKind()
    {
        var result = new SortedDictionary<DicomErrorKind, long>();
        for (var i = 1; i < _errorsByKind.Length; i++)
        {
            var n = Interlocked.Read(ref _errorsByKind[i]);
            if (n > 0) result[(DicomErrorKind)i] = n;
        }

        return result;
    }

    internal void OnReused(long stored, long read, int requests, DicomErrorKind error)
    {
        Interlocked.Increment(ref _reused);
        Interlocked.Add(ref _reusedBytesRead, read);
        Interlocked.Add(ref _reusedRequests, requests);
        OnDone(stored, read, requests, error);
    }

    internal void OnReusedRun(ReusedRun run)
    {
        Interlocked.Add(ref _reused, run.Objects);
        Interlocked.Add(ref _reusedBytesRead, run.BytesRead);
        Interlocked.Add(ref _reusedRequests, run.Requests);
        long errors = 0;
        foreach (var (kind, n) in run.Errors)
        {
            if (kind == DicomErrorKind.None) continue;
            Interlocked.Add(ref _errorsByKind[(int)kind], n);
            errors += n;
        }

        Interlocked.Add(ref _errors, errors);
        Interlocked.Add(ref _bytesStored, run.BytesStored);
        Interlocked.Add(ref _bytesRead, run.BytesRead);
        Interlocked.Add(ref _requests, run.Requests);
        Interlocked.Add(ref _done, run.Objects);
    }

    internal void OnDone(long stored, long read, int requests, DicomErrorKind error)
    {
        if (error != DicomErrorKind.None) Interlocked.Increment(ref _errorsByKind[(int)error]);
        Interlocked.Add(ref _bytesStored, stored);
        Interlocked.Add(ref _bytesRead, read);
        Interlocked.Add(ref _requests, requests);
        if (error != DicomErrorKind.None) Interlocked.Increment(ref _errors);
        Interlocked.Increment(ref _done);
    }
}

using System.Buffers;
using System.Globalization;
using Nccid.Batch.Dicom;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Pipeline;

/// <summary>
/// Reads one object's header at a time into a pooled buffer: a first range read of
/// <see cref="InitialReadBytes"/>, then further reads only when the header is longer. One reader per worker.
/// </summary>
public sealed class HeaderReader : IDisposable
{
    private readonly DicomReadOptions _options;
    private byte[] _buffer;

    /// <summary>Creates a reader with its own buffer and header index.</summary>
    public HeaderReader(DicomReadOptions options, int initialReadBytes = 64 << 10)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialReadBytes, 256);
        _options = options;
        InitialReadBytes = initialReadBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(initialReadBytes);
    }

    /// <summary>Size of the first range read.</summary>
    public int InitialReadBytes { get; }

    /// <summary>The bytes read by the last <see cref="ReadAsync"/> (file offsets from 0); valid until the next call.</summary>
    public ReadOnlyMemory<byte> LastRead { get; private set; }

    /// <summary>The header parsed by the last <see cref="ReadAsync"/>; valid until the next call.</summary>
    public DicomHeader Header { get; } = new();

    /// <summary>Reads and parses the header of <paramref name="storedObject"/>. Data errors are returned, not thrown.</summary>
    public async ValueTask<HeaderReadResult> ReadAsync(IObjectStore store, StoredObject storedObject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(storedObject);
        if (storedObject.ListingError is not null)
        {
            return Failed(DicomErrorKind.Unreadable, storedObject.ListingError, 0, 0);
        }

        if (storedObject.Size == 0)
        {
            return Failed(DicomErrorKind.NotDicom, "The file is empty.", 0, 0);
        }

        LastRead = default;
        var size = storedObject.Size;
        var filled = 0;
        var requests = 0;
        try
        {
            var want = (int)Math.Min(InitialReadBytes, size);
            filled = await store.ReadAsync(storedObject, 0, _buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            requests++;
            if (filled < want) size = filled; // The object shrank since it was listed.
            while (true)
            {
                LastRead = _buffer.AsMemory(0, filled);
                var status = DicomParser.Parse(LastRead, size, Header, _options);
                if (size < storedObject.Size)
                {
                    // The file changed under the scan: whatever the parse made of the rest, the row would describe
                    // bytes that are no longer the listed file's, so the read is reported as the storage fault it is.
                    return Failed(DicomErrorKind.Unreadable, string.Create(CultureInfo.InvariantCulture,
                        $"The file shrank from {storedObject.Size} to {size} bytes while it was being read."), filled, requests);
                }

                if (status != DicomParseStatus.NeedMoreData)
                {
                    return new HeaderReadResult(status, filled, requests, Header.Error);
                }

                // Grow geometrically so a long header costs a few reads, not one per element.
                var target = Math.Min(size, Math.Max(Header.RequiredLength, Math.Min((long)filled * 2, _options.MaxHeaderBytes)));
                if (target <= filled)
                {
                    return Failed(DicomErrorKind.Truncated, "The header needs more bytes than the file holds.", filled, requests);
                }

                EnsureCapacity((int)target, filled);
                var n = await store.ReadAsync(storedObject, filled, _buffer.AsMemory(filled, (int)target - filled), cancellationToken).ConfigureAwait(false);
                requests++;
                filled += n;
                if (filled < target) size = filled;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(DicomErrorKind.Unreadable, "The file cannot be read: " + ex.Message, filled, requests);
        }
    }

    private HeaderReadResult Failed(DicomErrorKind kind, string message, long bytesRead, int requests) =>
        new(DicomParseStatus.Error, bytesRead, requests, new DicomReadError(kind, -1, message));

    private void EnsureCapacity(int length, int preserve)
    {
        if (_buffer.Length >= length) return;
        var next = ArrayPool<byte>.Shared.Rent(length);
        _buffer.AsSpan(0, preserve).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Header.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

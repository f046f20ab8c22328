using System.Collections.Concurrent;
using System.Net;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>What the proxy does with one request instead of (or before) forwarding it.</summary>
public enum ProxyFault
{
    /// <summary>Forwarded unchanged.</summary>
    None,

    /// <summary>Answered 503 with S3's SlowDown error.</summary>
    SlowDown,

    /// <summary>Answered 500 with S3's InternalError.</summary>
    InternalError,

    /// <summary>
    /// Forwarded, but the connection is closed right after the response headers, before any body byte.
    /// (HttpListener cannot close a connection without sending headers: its abort answers 200 with no body.)
    /// </summary>
    Drop,

    /// <summary>Forwarded, but the body is cut off after its first bytes and the connection closed.</summary>
    TruncateBody,

    /// <summary>Forwarded after a short delay.</summary>
    Delay,

    /// <summary>Forwarded with the first body byte inverted (a corruption no status or length reveals).</summary>
    Corrupt,
}

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of the S3 server that injects faults into GET requests. The fault of a
/// request is chosen from its object key and how many times that key has been asked for, never from timing or
/// a global count, so a run with many readers in flight meets the same faults every time. It also answers a GET whose
/// If-Match names another ETag than the object's with 412, as S3 does and the test server does not.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private int _preconditionsFailed;
    private readonly HttpListener _listener;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private readonly Func<string, int, ProxyFault> _policy;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ProxyFault, int> _injected = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts a proxy to <paramref name="target"/>; <paramref name="policy"/> gets the path (bucket/key) and the 1-based attempt.</summary>
    public FaultProxy(Uri target, Func<string, int, ProxyFault> policy)
    {
        _target = target;
        _policy = policy;
        _upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None, UseProxy = false,
        });
        (_listener, Endpoint) = Listen();
        _loop = AcceptAsync();
    }

    /// <summary>Where the proxy listens.</summary>
    public Uri Endpoint { get; }

    /// <summary>Faults injected so far, of <paramref name="fault"/>.</summary>
    public int Injected(ProxyFault fault) => _injected.GetValueOrDefault(fault);

    /// <summary>GETs answered 412 because their If-Match named another ETag than the object's.</summary>
    public int PreconditionsFailed => Volatile.Read(ref _preconditionsFailed);

    private static (HttpListener, Uri) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var endpoint = new Uri($"http://127.0.0.1:{LoopbackPorts.Probe()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(endpoint.ToString());
            try
            {
                listener.Start();
                return (listener, endpoint);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptAsync()
    {
        var handlers = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            handlers.RemoveAll(t => t.IsCompleted);
            handlers.Add(HandleAsync(context));
        }

        await Task.WhenAll(handlers);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url!.AbsolutePath;
            var fault = ProxyFault.None;
            if (request.HttpMethod == "GET" && request.Url.Query.Length == 0)
            {
                var attempt = _attempts.AddOrUpdate(path, 1, static (_, n) => n + 1);
                fault = _policy(Uri.UnescapeDataString(path.TrimStart('/')), attempt);
                if (fault != ProxyFault.None) _injected.AddOrUpdate(fault, 1, static (_, n) => n + 1);
            }

            switch (fault)
            {
                case ProxyFault.SlowDown:
                    await ErrorAsync(response, 503, "SlowDown", "Please reduce your request rate.");
                    return;
                case ProxyFault.InternalError:
                    await ErrorAsync(response, 500, "InternalError", "We encountered an internal error. Please try again.");
                    return;
                case ProxyFault.Delay:
                    await Task.Delay(150, _stop.Token);
                    break;
            }

            await ForwardAsync(request, response, fault switch { ProxyFault.Drop => 0, ProxyFault.TruncateBody => 16, _ => -1 }, fault == ProxyFault.Corrupt);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or HttpListenerException or OperationCanceledException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    private static async Task ErrorAsync(HttpListenerResponse response, int status, string code, string message)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault</RequestId></Error>");
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private async Task ForwardAsync(HttpListenerRequest request, HttpListenerResponse response, int cutAfter, bool corrupt)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.Url!.PathAndQuery));
        if (request.HasEntityBody)
        {
            using var buffer = new MemoryStream();
            await request.InputStream.CopyToAsync(buffer);
            message.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var name in request.Headers.AllKeys)
        {
            if (name is null || name is "Connection" or "Content-Length" or "Expect" or "Transfer-Encoding") continue;
            var value = request.Headers[name]!;

            // The signature covers the Host header, so the server must see the one the client signed.
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) message.Headers.Host = value;
            else if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        using var upstream = await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, _stop.Token);

        // s3rver ignores If-Match on GET; S3 answers 412 when the object's ETag is another.
        if (request.Headers["If-Match"] is { } ifMatch && upstream.IsSuccessStatusCode && upstream.Headers.ETag?.Tag is { } etag
            && !string.Equals(ifMatch.Trim('"'), etag.Trim('"'), StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _preconditionsFailed);
            await ErrorAsync(response, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return;
        }

        response.StatusCode = (int)upstream.StatusCode;
        foreach (var (name, values) in upstream.Headers.Concat(upstream.Content.Headers))
        {
            var value = string.Join(",", values);
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) response.ContentLength64 = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) response.ContentType = value;
            else if (name is "Transfer-Encoding" or "Connection" or "Keep-Alive" or "Date" or "Server") continue;
            else response.Headers[name] = value;
        }

        await using var body = await upstream.Content.ReadAsStreamAsync(_stop.Token);
        if (cutAfter >= 0)
        {
            var first = new byte[cutAfter];
            var n = await body.ReadAtLeastAsync(first, cutAfter, throwOnEndOfStream: false, _stop.Token);
            await response.OutputStream.WriteAsync(first.AsMemory(0, n), _stop.Token);
            await response.OutputStream.FlushAsync(_stop.Token);
            response.Abort();
            return;
        }

        if (corrupt)
        {
            var first = new byte[1];
            if (await body.ReadAsync(first, _stop.Token) == 1) first[0] ^= 0xFF;
            await response.OutputStream.WriteAsync(first, _stop.Token);
        }

        await body.CopyToAsync(response.OutputStream, _stop.Token);
        response.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Handlers cut off by the shutdown end with the connection; nothing is left to report.
        }

        _upstream.Dispose();
        _stop.Dispose();
    }
}

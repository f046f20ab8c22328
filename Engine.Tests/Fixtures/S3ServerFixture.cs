using System.Diagnostics;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// An S3-compatible server (s3rver, installed by scripts/setup.sh into .test-tools/) on 127.0.0.1 with a free port
/// and a temporary data folder, killed on dispose. Buckets and objects are made through AWSSDK.S3 only.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime, IDisposable
{
    /// <summary>s3rver's built-in account.</summary>
    private static readonly BasicAWSCredentials Credentials = new("S3RVER", "S3RVER");

    private readonly string _script;
    private readonly string _dataDirectory;
    private readonly System.Text.StringBuilder _errors = new();
    private Process? _process;
    private Uri? _endpoint;
    private AmazonS3Client? _client;
    private int _buckets;

    public S3ServerFixture()
    {
        _script = Path.Combine(RepositoryRoot.Find(), ".test-tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(_script))
        {
            throw new InvalidOperationException($"s3rver is not installed ({_script} is missing): run scripts/setup.sh, which runs 'npm install --prefix .test-tools/s3rver s3rver@3.7.1'.");
        }

        _dataDirectory = Directory.CreateTempSubdirectory("nccid-s3rver-").FullName;
    }

    public async Task InitializeAsync()
    {
        await LoopbackPorts.Gate.WaitAsync();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                Start(LoopbackPorts.Probe());
                if (await WaitUntilAnsweringAsync()) return;
                _process!.WaitForExit(); // it has exited: this waits for the rest of its error output
                string errors;
                lock (_errors) errors = _errors.ToString();
                if (attempt == LoopbackPorts.StartAttempts || !errors.Contains("EADDRINUSE", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode} before answering on {Endpoint}: {errors}");
                }

                Stop();
            }
        }
        finally
        {
            LoopbackPorts.Gate.Release();
        }
    }

    private void Start(int port)
    {
        _endpoint = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { _script, "-d", _dataDirectory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        // Node 20's OpenSSL 3 lacks the MD5 variant s3rver uses for continuation tokens of long listings.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        lock (_errors) _errors.Clear();
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not installed, so s3rver cannot run: run scripts/setup.sh. (" + ex.Message + ")", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { lock (_errors) _errors.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _client = CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Where the server listens.</summary>
    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("s3rver has not been started.");

    /// <summary>A client for setting up buckets and objects.</summary>
    public IAmazonS3 Client => _client ?? throw new InvalidOperationException("s3rver has not been started.");

    /// <summary>A client of the server (path-style, no flexible checksums, which s3rver does not understand).</summary>
    public AmazonS3Client CreateClient() => new(Credentials, new AmazonS3Config
    {
        ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>A store over <paramref name="bucket"/>/<paramref name="prefix"/> on this server.</summary>
    /// <param name="endpoint">Another way to the server (a fault-injecting proxy), or null for the server itself.</param>
    public S3ObjectStore OpenStore(string bucket, string prefix = "", int maxRetries = 2, Uri? endpoint = null) =>
        new(new S3StoreOptions
        {
            Bucket = bucket, Prefix = prefix, Endpoint = endpoint ?? Endpoint, Region = "us-east-1", MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        }, Credentials, _ => null);

    /// <summary>A release publisher to <paramref name="bucket"/>/<paramref name="prefix"/> on this server, with small multipart parts.</summary>
    /// <param name="endpoint">Another way to the server (a fault-injecting proxy), or null for the server itself.</param>
    public Nccid.Batch.Releases.S3ReleasePublisher OpenPublisher(string bucket, string prefix, long multipartThreshold, long partSize, Uri? endpoint = null) =>
        new(new S3StoreOptions { Bucket = bucket, Prefix = prefix, Endpoint = endpoint ?? Endpoint, Region = "us-east-1", MaxRetries = 2 }, Credentials, _ => null)
        {
            MultipartThreshold = multipartThreshold, PartSize = partSize,
        };

    /// <summary>The bytes of <paramref name="key"/>.</summary>
    public async Task<byte[]> GetAsync(string bucket, string key)
    {
        using var response = await Client.GetObjectAsync(bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Creates a bucket with a name no other test uses.</summary>
    public async Task<string> CreateBucketAsync(string hint)
    {
        var name = $"{hint}-{Interlocked.Increment(ref _buckets)}";
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Uploads <paramref name="content"/> under <paramref name="key"/>.</summary>
    public Task PutAsync(string bucket, string key, byte[] content) =>
        Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false,
        });

    /// <summary>Uploads every file under <paramref name="folder"/> with its relative path as key, a few at a time.</summary>
    public async Task<int> UploadFolderAsync(string bucket, string prefix, string folder)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (file, ct) =>
        {
            var key = prefix + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            await Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file, UseChunkEncoding = false }, ct);
        });
        return files.Length;
    }

    /// <summary>True once the server answers; false if it exited first. Throws if it neither answers nor exits within 30 s.</summary>
    private async Task<bool> WaitUntilAnsweringAsync()
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process!.HasExited) return false;
            try
            {
                await Client.ListBucketsAsync();
                return true;
            }
            catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException or SocketException)
            {
                last = ex;
                await Task.Delay(100);
            }
        }

        Dispose();
        throw new InvalidOperationException($"s3rver did not answer on {Endpoint} within 30 s.", last);
    }

    private void Stop()
    {
        _client?.Dispose();
        _client = null;
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Nccid.Batch.Cli;

/// <summary>
/// s3rver (the S3-compatible test server that scripts/setup.sh installs into <c>.test-tools/s3rver</c>) started on
/// 127.0.0.1 with a free port and a temporary data folder, for <c>bench --s3</c> without an endpoint. Killed and its
/// folder deleted on dispose.
/// </summary>
internal sealed class LocalS3Server : IDisposable
{
    /// <summary>s3rver's built-in account: a fixed, public test credential of the local server, not a secret.</summary>
    public static readonly BasicAWSCredentials Credentials = new("S3RVER", "S3RVER");

    private readonly Process _process;
    private readonly string _data;

    private LocalS3Server(Process process, string data, Uri endpoint)
    {
        _process = process;
        _data = data;
        Endpoint = endpoint;
    }

    /// <summary>Where the server listens.</summary>
    public Uri Endpoint { get; }

    /// <summary>The s3rver script under <c>.test-tools/s3rver</c> of the current folder or of a folder above it or above the program, or null.</summary>
    public static string? FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, ".test-tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
                if (File.Exists(script)) return script;
            }
        }

        return null;
    }

    /// <summary>Starts s3rver from <paramref name="script"/> and waits until it accepts connections.</summary>
    public static async Task<LocalS3Server> StartAsync(string script, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("nccid-bench-s3rver-").FullName;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--silent" }) start.ArgumentList.Add(arg);

        // Node 20's OpenSSL 3 lacks the MD5 variant s3rver uses for continuation tokens of listings over 1,000 keys.
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LocalS3Server(process, data, new Uri($"http://127.0.0.1:{port}"));
        for (var waited = 0; waited < 300; waited++)
        {
            if (process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException($"s3rver exited with code {process.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        server.Dispose();
        throw new InvalidOperationException("s3rver did not listen within 30 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}

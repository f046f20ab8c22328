using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// A PostgreSQL server of its own (Debian's postgresql package, installed by scripts/setup.sh): <c>initdb</c> into a
/// temporary folder with trust authentication, <c>postgres</c> on 127.0.0.1 on a free port, stopped and removed on
/// dispose. PostgreSQL refuses to run as root, so under root (CI) both run as the <c>postgres</c> OS user through
/// <c>runuser</c>, with the folder handed to that user.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly StringBuilder _log = new();
    private Process? _server;
    private int _databases;

    public PostgresFixture()
    {
        _bin = FindBinaries();
        _folder = Directory.CreateTempSubdirectory("nccid-postgres-").FullName;
    }

    /// <summary>The port the server listens on, at 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The server's superuser.</summary>
    public const string User = "postgres";

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Database = database }.ConnectionString;

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_folder, "data");
        if (IsRoot) Run("/usr/bin/chown", ["-R", User + ":", _folder]);
        RunAsServerUser(Path.Combine(_bin, "initdb"), ["-D", data, "-A", "trust", "-U", User, "--no-sync", "-E", "UTF8", "--locale=C"]);

        await LoopbackPorts.Gate.WaitAsync();
        try
        {
            await StartServerAsync(data);
        }
        finally
        {
            LoopbackPorts.Gate.Release();
        }
    }

    private async Task StartServerAsync(string data)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPorts.Probe();
            var start = ServerStart(Path.Combine(_bin, "postgres"),
                ["-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]);
            lock (_log) _log.Clear();
            _server = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start.");
            _server.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _server.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _server.BeginOutputReadLine();
            _server.BeginErrorReadLine();
            if (await WaitUntilAnsweringAsync()) return;
            _server.WaitForExit(); // it has exited: this waits for the rest of its log
            string log;
            lock (_log) log = _log.ToString();
            if (attempt == LoopbackPorts.StartAttempts || !log.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"postgres exited with code {_server.ExitCode} while starting on port {Port}: {log}");
            }

            _server.Dispose();
            _server = null;
        }
    }

    /// <summary>Creates an empty database no other test uses and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = $"{hint}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            // SIGINT is PostgreSQL's "fast shutdown": it ends the sessions and stops at once.
            RunAllowingFailure("/bin/kill", ["-INT", _server.Id.ToString(CultureInfo.InvariantCulture)]);
            if (!_server.WaitForExit(TimeSpan.FromSeconds(20))) _server.Kill(entireProcessTree: true);
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A server that died leaves files the next boot's /tmp cleaning removes; the test result does not depend on it.
        }

        return Task.CompletedTask;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries are missing (no /usr/lib/postgresql/<version>/bin/initdb): run scripts/setup.sh, which installs Debian's postgresql package.");
    }

    private ProcessStartInfo ServerStart(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(IsRoot ? "/usr/sbin/runuser" : program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder,
        };
        if (IsRoot)
        {
            foreach (var a in new[] { "-u", User, "--", program }) start.ArgumentList.Add(a);
        }

        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["LC_ALL"] = "C";
        return start;
    }

    private void RunAsServerUser(string program, IEnumerable<string> arguments)
    {
        using var process = Process.Start(ServerStart(program, arguments)) ?? throw new InvalidOperationException(program + " did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed with exit code {process.ExitCode}: {stdout.Result}{stderr.Result}");
        }
    }

    private static void Run(string program, IEnumerable<string> arguments)
    {
        if (!RunAllowingFailure(program, arguments)) throw new InvalidOperationException(program + " " + string.Join(' ', arguments) + " failed.");
    }

    private static bool RunAllowingFailure(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start.");
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>True once the server answers; false if it exited first.</summary>
    private async Task<bool> WaitUntilAnsweringAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_server!.HasExited) return false;
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }
}

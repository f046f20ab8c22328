using Nccid.Batch.Hosting;
using Nccid.Batch.Tests.Fixtures;
using Npgsql;

namespace Nccid.Batch.Tests.Hosting;

public sealed class ClusterSchemaTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'public' order by table_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }

    [Fact]
    public async Task Init_creates_every_quartz_and_bookkeeping_table_and_running_it_again_changes_nothing()
    {
        var cs = await postgres.CreateDatabaseAsync("init");

        var first = await ClusterSchema.InitAsync(cs, CancellationToken.None);
        var afterFirst = await TablesAsync(cs);
        var second = await ClusterSchema.InitAsync(cs, CancellationToken.None);
        var afterSecond = await TablesAsync(cs);

        Assert.Equal(ClusterSchema.Tables.Order(StringComparer.Ordinal), afterFirst.Order(StringComparer.Ordinal));
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(ClusterSchema.Tables, first);
        Assert.Equal(ClusterSchema.Tables, second);
        Assert.Contains("qrtz_fired_triggers", afterSecond);
        Assert.Contains("nccid_release_shards", afterSecond);
        await ClusterSchema.VerifyAsync(cs, CancellationToken.None);
    }

    [Fact]
    public async Task A_database_without_the_schema_is_refused_with_the_command_that_creates_it()
    {
        var cs = await postgres.CreateDatabaseAsync("empty");

        var error = await Assert.ThrowsAsync<ClusterException>(() => ClusterSchema.VerifyAsync(cs, CancellationToken.None));

        Assert.Contains("nccid-batch cluster init", error.Message, StringComparison.Ordinal);
        Assert.Contains("qrtz_job_details", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_connection_string_or_an_unreachable_server_is_a_clear_error_without_the_password()
    {
        var malformed = await Assert.ThrowsAsync<ClusterException>(() => ClusterSchema.VerifyAsync("Host=127.0.0.1;NoSuchKeyword=1", CancellationToken.None));
        var unreachable = await Assert.ThrowsAsync<ClusterException>(() =>
            ClusterSchema.VerifyAsync($"Host=127.0.0.1;Port={postgres.Port};Database=nosuchdb;Username=postgres;Password=s3cret-pw;Timeout=5", CancellationToken.None));

        Assert.Contains("does not parse", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot connect", unreachable.Message, StringComparison.Ordinal);
        Assert.Contains("nosuchdb", unreachable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", unreachable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_verbs_create_the_schema_twice_and_a_host_without_it_refuses_to_start_naming_cluster_init()
    {
        var cs = await postgres.CreateDatabaseAsync("cli");
        var jobs = Directory.CreateTempSubdirectory("nccid-cluster-jobs-").FullName;
        try
        {
            var refused = await EngineProcess.RunAsync(["host", "--folder", jobs, "--state", Path.Combine(jobs, "state"), "--connection", cs + ";Password=pw-not-logged"],
                TimeSpan.FromSeconds(60));
            var first = await EngineProcess.RunAsync(["cluster", "init", "--connection", cs], TimeSpan.FromSeconds(60));
            var second = await EngineProcess.RunAsync(["cluster", "init", "--connection", cs], TimeSpan.FromSeconds(60));
            var status = await EngineProcess.RunAsync(["cluster", "status", "--connection", cs], TimeSpan.FromSeconds(60));

            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("run 'nccid-batch cluster init", refused.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("pw-not-logged", refused.Stderr + refused.Stdout, StringComparison.Ordinal);
            Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
            Assert.Contains("14 tables", second.Stdout, StringComparison.Ordinal);
            Assert.Equal(ClusterSchema.Tables.Order(StringComparer.Ordinal), (await TablesAsync(cs)).Order(StringComparer.Ordinal));
            Assert.Equal(0, status.ExitCode);
            Assert.Contains("No clustered release runs.", status.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(jobs, recursive: true);
        }
    }

    [Fact]
    public void A_connection_string_is_shown_without_its_password()
    {
        var shown = ClusterOptions.Redact("Host=db;Database=nccid;Username=nccid;Password=s3cret");

        Assert.DoesNotContain("s3cret", shown, StringComparison.Ordinal);
        Assert.Contains("Password=***", shown, StringComparison.Ordinal);
        Assert.Contains("Host=db", shown, StringComparison.Ordinal);
    }
}

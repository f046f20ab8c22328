using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nccid.Batch.Audit;
using Nccid.Batch.Clinical;
using Nccid.Batch.Dicom;
using Nccid.Batch.Index;
using Nccid.Batch.Releases;

namespace Nccid.Batch.Tests.Releases;

/// <summary>
/// The serializers generated at build time write, and read back, what the reflection-built ones did under the same
/// settings: the manifest's job, the hashed index settings and the spilled clinical records keep their bytes.
/// </summary>
public sealed class GeneratedJsonTests
{
    private static readonly string Jobs = Path.Combine(Fixtures.RepositoryRoot.Find(), "jobs");

    public static TheoryData<string> JobFiles() => [.. Directory.GetFiles(Jobs, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(JobFiles))]
    public void A_job_is_written_into_the_manifest_as_reflection_wrote_it(string file)
    {
        var job = ReleaseJobLoader.Load(Path.Combine(Jobs, file));
        AssertGeneratedWritesAsReflection(job, ReleaseManifest.JobJson, typeof(ReleaseJsonContext));
    }

    [Fact]
    public void A_job_with_every_setting_is_written_as_reflection_wrote_it()
    {
        var job = Filled<ReleaseJob>();
        AssertGeneratedWritesAsReflection(job, ReleaseManifest.JobJson, typeof(ReleaseJsonContext));
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("nccid")]
    public void The_index_settings_of_a_profile_and_the_read_options_are_written_as_reflection_wrote_them(string profile)
    {
        AssertGeneratedWritesAsReflection(AuditProfileLoader.Load(profile), IndexJson.Payload, typeof(IndexJsonContext));
        AssertGeneratedWritesAsReflection(DicomReadOptions.Default, IndexJson.Payload, typeof(IndexJsonContext));
    }

    [Fact]
    public void A_release_report_is_written_as_reflection_wrote_it()
    {
        AssertGeneratedWritesAsReflection(Filled<IndexReport>(), ReleaseIndex.ReportJson, typeof(IndexJsonContext));
    }

    [Fact]
    public void A_spilled_clinical_record_is_written_and_read_back_as_reflection_did()
    {
        var options = PatientRecordSpill.Json;
        foreach (var record in new[] { Filled<PatientRecord>(), new PatientRecord { Pseudonym = "Covid1", SourcePath = "data/x.json" } })
        {
            var json = AssertGeneratedWritesAsReflection(record, options, typeof(ReleaseJsonContext));
            var generated = JsonSerializer.Deserialize<PatientRecord>(json, options)!;
            var reflected = JsonSerializer.Deserialize<PatientRecord>(json, Reflection(options))!;
            Assert.Equal(JsonSerializer.Serialize(reflected, Reflection(options)), JsonSerializer.Serialize(generated, Reflection(options)));
            Assert.Equal(json, JsonSerializer.Serialize(generated, Reflection(options)));
        }
    }

    private static string AssertGeneratedWritesAsReflection<T>(T value, JsonSerializerOptions options, Type context)
    {
        // The options use the generated metadata for the type, not a reflection fallback.
        Assert.IsType(context, options.GetTypeInfo(typeof(T)).OriginatingResolver);
        var generated = JsonSerializer.Serialize(value, options);
        Assert.Equal(JsonSerializer.Serialize(value, Reflection(options)), generated);
        return generated;
    }

    private static JsonSerializerOptions Reflection(JsonSerializerOptions options) => new(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>An instance whose every settable value is set to something other than its type's default.</summary>
    private static T Filled<T>()
    {
        var value = (T)Activator.CreateInstance(typeof(T), nonPublic: true)!;
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object? sample = type switch
            {
                _ when type == typeof(string) => property.Name + " \"value\" é",
                _ when type == typeof(int) => 7,
                _ when type == typeof(long) => 1L << 40,
                _ when type == typeof(double) => 2.5,
                _ when type == typeof(bool) => true,
                _ when type == typeof(DateOnly) => new DateOnly(2020, 4, 1),
                _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2020, 4, 1, 12, 0, 0, TimeSpan.Zero),
                _ when type == typeof(IReadOnlyList<string>) => new[] { "a", "b" },
                _ => null,
            };
            if (sample is not null) property.SetValue(value, sample);
        }

        return value;
    }
}

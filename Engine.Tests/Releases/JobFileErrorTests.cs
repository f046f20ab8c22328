using Nccid.Batch.Releases;
using Nccid.Batch.Tests.Tables;

namespace Nccid.Batch.Tests.Releases;

/// <summary>Bad job files: every error names the file, the place (line and column, or JSON path) and the fix.</summary>
public sealed class JobFileErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("{ \"name\": \"j\",\n  \"source\": \"in\"\n  \"output\": \"out\" }", 3, 3)]
    [InlineData("{ \"name\": \"j\", \"source\": \"in\", \"output\": \"out\",\n\n   }}", 3, 5)]
    [InlineData("{ \"name\": 'j' }", 1, 11)]
    [InlineData("", 1, 1)]
    public void A_file_that_is_not_JSON_names_the_line_and_column(string text, int line, int column)
    {
        var path = Write(text);
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(path));
        Assert.StartsWith($"{path}: line {line}, column {column}: not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Fix the JSON syntax there (quotes, commas, brackets).", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"parallelism\": \"four\"", "$.parallelism", "expected a whole number")]
    [InlineData("\"headerJson\": \"yes\"", "$.headerJson", "expected true or false")]
    [InlineData("\"include\": \"*.dcm\"", "$.include", "expected an array")]
    [InlineData("\"split\": 70", "$.split", "expected an object")]
    [InlineData("\"onReadEror\": \"fail\"", "$", "'onReadEror' is not a job property (a typo?); the allowed properties are listed in jobs/job.schema.json.")]
    public void A_value_of_the_wrong_type_names_its_JSON_path_and_what_is_expected(string member, string jsonPath, string expected)
    {
        var path = Write($$"""{ "name": "j", "source": "in", "output": "out", {{member}} }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(path));
        Assert.StartsWith($"{path}: at {jsonPath}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_of_the_new_fields_is_named_at_once_with_what_is_allowed()
    {
        var path = Write("""{ "name": "j", "source": "in", "output": "out", "onReadError": "skip", "allowAttributes": ["PatientName", "NotAnAttribute"], "releaseId": "../x" }""");
        var error = Assert.Throws<JobFileException>(() => ReleaseJobLoader.Load(path));
        Assert.Contains("at $.onReadError: 'skip' is not allowed; use errorRow or fail.", error.Message, StringComparison.Ordinal);
        Assert.Contains("at $.allowAttributes[1]: 'NotAnAttribute' is not the keyword", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("$.allowAttributes[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("at $.releaseId: '../x' does not give a plain folder name", error.Message, StringComparison.Ordinal);
    }

    private string Write(string text)
    {
        var path = Path.Combine(_temp.Path, "job.json");
        File.WriteAllText(path, text);
        return path;
    }
}

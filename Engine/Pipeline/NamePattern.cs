using System.Buffers;
using System.IO.Enumeration;
using System.Text;

namespace Nccid.Batch.Pipeline;

/// <summary>File-name patterns of <see cref="ScanOptions.IncludeNames"/>: '*' and '?' wildcards, '\' escaping, case ignored.</summary>
internal static class NamePattern
{
    private static readonly SearchValues<char> Special = SearchValues.Create("*?\\");

    /// <summary>
    /// Whether <paramref name="name"/> matches <paramref name="pattern"/> as <see cref="FileSystemName.MatchesSimpleExpression"/>
    /// says. '*' and an ASCII ending without wildcards (the usual <c>*.dcm</c>) is an ending compared without case: the
    /// same answer, without the general matcher's cost on every listed file.
    /// </summary>
    public static bool Matches(string pattern, ReadOnlySpan<char> name)
    {
        if (pattern.Length > 1 && pattern[0] == '*')
        {
            var ending = pattern.AsSpan(1);
            if (ending.IndexOfAny(Special) < 0 && Ascii.IsValid(ending)) return name.EndsWith(ending, StringComparison.OrdinalIgnoreCase);
        }

        return FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true);
    }
}

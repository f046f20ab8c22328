using System.Collections.Frozen;

namespace Nccid.Batch.Audit.Deidentification;

/// <summary>
/// Finds listed person names in text as whole words, ignoring case: each name is split into words and indexed
/// by its first word, so a text is read once and each of its words costs one frozen-set lookup. A name of several
/// words is also found family name first, as DICOM and registers write it ("John Smith" in "SMITH^JOHN" and
/// "Smith, John"); a family name alone is not, as it is too often an ordinary word.
/// </summary>
internal sealed class NameMatcher
{
    private readonly FrozenDictionary<string, string[][]> _byFirstWord;
    private readonly FrozenDictionary<string, string[][]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Indexes <paramref name="names"/>; blank entries are ignored.</summary>
    public NameMatcher(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var index = new Dictionary<string, List<string[]>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var words = Words(name ?? string.Empty);
            if (words.Length == 0) continue;
            Add(index, words);
            if (words.Length > 1) Add(index, [words[^1], .. words[..^1]]);
        }

        _byFirstWord = index.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _lookup = _byFirstWord.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static void Add(Dictionary<string, List<string[]>> index, string[] words)
    {
        if (!index.TryGetValue(words[0], out var list)) index[words[0]] = list = [];
        list.Add(words[1..]);
    }

    /// <summary>True when no names are listed.</summary>
    public bool IsEmpty => _byFirstWord.Count == 0;

    /// <summary>Finds the next listed name at or after <paramref name="start"/>.</summary>
    public bool TryFindNext(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength)
    {
        var pos = start;
        while (NextWord(text, ref pos, out var wordStart, out var wordLength))
        {
            if (!_lookup.TryGetValue(text.Slice(wordStart, wordLength), out var rests)) continue;
            foreach (var rest in rests)
            {
                var end = wordStart + wordLength;
                var after = end;
                var matched = true;
                foreach (var word in rest)
                {
                    if (!NextWord(text, ref after, out var ws, out var wl) || !text.Slice(ws, wl).Equals(word, StringComparison.OrdinalIgnoreCase))
                    {
                        matched = false;
                        break;
                    }

                    end = ws + wl;
                }

                if (matched)
                {
                    matchStart = wordStart;
                    matchLength = end - wordStart;
                    return true;
                }
            }
        }

        matchStart = matchLength = 0;
        return false;
    }

    /// <summary>The next word (letters, with apostrophes and hyphens inside) at or after <paramref name="pos"/>.</summary>
    private static bool NextWord(ReadOnlySpan<char> text, ref int pos, out int start, out int length)
    {
        while (pos < text.Length && !char.IsLetter(text[pos])) pos++;
        start = pos;
        while (pos < text.Length && (char.IsLetter(text[pos]) || (IsJoiner(text[pos]) && pos + 1 < text.Length && char.IsLetter(text[pos + 1]))))
        {
            pos++;
        }

        length = pos - start;
        return length > 0;
    }

    private static bool IsJoiner(char c) => c is '\'' or '-' or '\u2019';

    private static string[] Words(string name)
    {
        var words = new List<string>();
        var pos = 0;
        while (NextWord(name, ref pos, out var start, out var length)) words.Add(name.Substring(start, length));
        return [.. words];
    }
}

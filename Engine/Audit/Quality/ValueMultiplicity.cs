namespace Nccid.Batch.Audit.Quality;

/// <summary>A value multiplicity as the data dictionary writes it ("1", "1-3", "2-2n", "1-n"), read without allocating.</summary>
/// <param name="Minimum">Fewest values allowed.</param>
/// <param name="Maximum">Most values allowed, or <see cref="int.MaxValue"/> for "n".</param>
/// <param name="Step">The count must be a multiple of this ("2-2n" gives 2); 1 otherwise.</param>
internal readonly record struct ValueMultiplicity(int Minimum, int Maximum, int Step)
{
    /// <summary>Parses a dictionary VM; false for an empty or unrecognised one.</summary>
    public static bool TryParse(string vm, out ValueMultiplicity multiplicity)
    {
        multiplicity = default;
        var text = vm.AsSpan();
        var dash = text.IndexOf('-');
        var first = dash < 0 ? text : text[..dash];
        if (!TryDigits(first, out var minimum)) return false;
        if (dash < 0)
        {
            multiplicity = new ValueMultiplicity(minimum, minimum, 1);
            return true;
        }

        var second = text[(dash + 1)..];
        if (second.Length > 0 && second[^1] == 'n')
        {
            var factor = second[..^1];
            var step = 1;
            if (factor.Length > 0 && !TryDigits(factor, out step)) return false;
            multiplicity = new ValueMultiplicity(minimum, int.MaxValue, step);
            return true;
        }

        if (!TryDigits(second, out var maximum)) return false;
        multiplicity = new ValueMultiplicity(minimum, maximum, 1);
        return true;
    }

    /// <summary>True when <paramref name="count"/> values are allowed.</summary>
    public bool Allows(int count) => count >= Minimum && count <= Maximum && count % Step == 0;

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 6) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = (value * 10) + (c - '0');
        }

        return true;
    }
}

using System.Text;

namespace Nccid.Batch.Clinical;

/// <summary>Folds names and words for matching: lower-case letters and digits only, µ read as u.</summary>
internal static class TextKey
{
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is 'µ' or 'μ')
            {
                builder.Append('u');
            }
            else if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>Folds a unit: as <see cref="Fold"/> but keeps '/', '^' and '%', which change a unit's meaning.</summary>
    public static string FoldUnit(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is 'µ' or 'μ')
            {
                builder.Append('u');
            }
            else if (c is '×' or '*')
            {
                builder.Append('x');
            }
            else if (char.IsLetterOrDigit(c) || c is '/' or '^' or '%')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}

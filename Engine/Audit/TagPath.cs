using System.Globalization;
using System.Text;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Audit;

/// <summary>Formats where an element sits: <c>(0040,0275)[0].(0032,1060)</c>. Built only when a finding is reported.</summary>
public static class TagPath
{
    /// <summary>The path of element <paramref name="index"/> of <paramref name="header"/>.</summary>
    public static string Of(DicomHeader header, int index)
    {
        ArgumentNullException.ThrowIfNull(header);
        var parts = new List<string>();
        var current = index;
        while (current >= 0)
        {
            ref readonly var e = ref header[current];
            var item = e.Parent;
            if (item < 0)
            {
                parts.Add(DicomParser.Describe(e.Tag));
                break;
            }

            // e.Parent is an item; its parent is the sequence. The item's position is its rank among the sequence's items.
            var sequence = header[item].Parent;
            var position = 0;
            for (var i = sequence + 1; i < item; i++)
            {
                if (header[i].IsItem && header[i].Parent == sequence) position++;
            }

            parts.Add("[" + position.ToString(CultureInfo.InvariantCulture) + "]." + DicomParser.Describe(e.Tag));
            current = sequence;
        }

        var sb = new StringBuilder();
        for (var i = parts.Count - 1; i >= 0; i--) sb.Append(parts[i]);
        return sb.ToString();
    }

    /// <summary>The path of a top-level tag.</summary>
    public static string Of(uint tag) => DicomParser.Describe(tag);
}

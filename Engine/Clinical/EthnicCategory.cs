namespace Nccid.Batch.Clinical;

/// <summary>One NHS ethnic category (NHS Data Dictionary, ETHNIC CATEGORY, 2001 census classification).</summary>
/// <param name="Code">The letter, A to Z.</param>
/// <param name="Group">The group, e.g. "Asian or Asian British".</param>
/// <param name="Name">The category within the group, e.g. "Indian".</param>
public sealed record EthnicCategory(string Code, string Group, string Name)
{
    /// <summary>Every category, in code order.</summary>
    public static IReadOnlyList<EthnicCategory> All { get; } =
    [
        new("A", "White", "British"),
        new("B", "White", "Irish"),
        new("C", "White", "Any other White background"),
        new("D", "Mixed", "White and Black Caribbean"),
        new("E", "Mixed", "White and Black African"),
        new("F", "Mixed", "White and Asian"),
        new("G", "Mixed", "Any other mixed background"),
        new("H", "Asian or Asian British", "Indian"),
        new("J", "Asian or Asian British", "Pakistani"),
        new("K", "Asian or Asian British", "Bangladeshi"),
        new("L", "Asian or Asian British", "Any other Asian background"),
        new("M", "Black or Black British", "Caribbean"),
        new("N", "Black or Black British", "African"),
        new("P", "Black or Black British", "Any other Black background"),
        new("R", "Other Ethnic Groups", "Chinese"),
        new("S", "Other Ethnic Groups", "Any other ethnic group"),
        new("Z", "Not stated", "Not stated"),
    ];

    /// <summary>The category for a code letter, or null.</summary>
    public static EthnicCategory? FromCode(string code)
    {
        foreach (var category in All)
        {
            if (string.Equals(category.Code, code, StringComparison.Ordinal))
            {
                return category;
            }
        }

        return null;
    }
}

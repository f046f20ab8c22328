namespace Nccid.Batch.Audit.Deidentification;

/// <summary>One row of PS3.15 Table E.1-1: an attribute, its basic action and the action under each option.</summary>
/// <param name="Tag">The tag; for a repeating group, the tag with the open digits cleared.</param>
/// <param name="Mask">The bits of a tag that must equal <paramref name="Tag"/> (<c>0xFFFFFFFF</c> for one attribute).</param>
/// <param name="Keyword">The attribute's keyword.</param>
/// <param name="Basic">The Basic Profile action.</param>
/// <param name="Options">The action under each <see cref="ProfileOption"/>, indexed by it; <see cref="ProfileAction.None"/> where the column is empty.</param>
internal sealed record BasicProfileRow(uint Tag, uint Mask, string Keyword, ProfileAction Basic, ProfileAction[] Options)
{
    /// <summary>The action under <paramref name="option"/>, or <see cref="ProfileAction.None"/>.</summary>
    public ProfileAction Under(ProfileOption option) => Options[(int)option];

    /// <summary>True when some option of the table would keep the attribute (K) or let it stay cleaned (C).</summary>
    public bool RetainableByOption
    {
        get
        {
            foreach (var action in Options)
            {
                if (action is ProfileAction.K or ProfileAction.C) return true;
            }

            return false;
        }
    }

    /// <summary>
    /// The action in force when <paramref name="options"/> are claimed: among the claimed options that name an
    /// action for this row the most permissive wins (K over C over the rest), since each option widens what may stay.
    /// </summary>
    public ProfileAction Resolve(DeidentificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chosen = ProfileAction.None;
        Consider(ref chosen, options.RetainSafePrivate, ProfileOption.RetainSafePrivate);
        Consider(ref chosen, options.RetainDeviceIdentity, ProfileOption.RetainDeviceIdentity);
        Consider(ref chosen, options.RetainInstitutionIdentity, ProfileOption.RetainInstitutionIdentity);
        Consider(ref chosen, options.RetainPatientCharacteristics, ProfileOption.RetainPatientCharacteristics);
        Consider(ref chosen, options.RetainFullDates, ProfileOption.RetainLongFullDates);
        Consider(ref chosen, options.RetainModifiedDates, ProfileOption.RetainLongModifiedDates);
        Consider(ref chosen, options.CleanDescriptors, ProfileOption.CleanDescriptors);
        return chosen == ProfileAction.None ? Basic : chosen;
    }

    private void Consider(ref ProfileAction chosen, bool claimed, ProfileOption option)
    {
        if (!claimed) return;
        var action = Under(option);
        if (action == ProfileAction.None) return;
        if (Rank(action) > Rank(chosen)) chosen = action;
    }

    private static int Rank(ProfileAction action) => action switch
    {
        ProfileAction.None => 0,
        ProfileAction.K => 3,
        ProfileAction.C => 2,
        _ => 1,
    };
}

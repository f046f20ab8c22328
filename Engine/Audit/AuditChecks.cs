namespace Nccid.Batch.Audit;

/// <summary>The checks an audit runs, and the catalogue of every rule they can report.</summary>
public sealed class AuditChecks
{
    private AuditChecks(IReadOnlyList<IInstanceCheck> instanceChecks, IReadOnlyList<Func<CollectionScratch, ICollectionCheck>> collectionChecks)
    {
        InstanceChecks = instanceChecks;
        CollectionCheckFactories = collectionChecks;
    }

    /// <summary>Checks run per instance on the workers.</summary>
    public IReadOnlyList<IInstanceCheck> InstanceChecks { get; }

    /// <summary>Factories of the collection checks (each run gets fresh state, and sorts in the scratch it gives).</summary>
    public IReadOnlyList<Func<CollectionScratch, ICollectionCheck>> CollectionCheckFactories { get; }

    /// <summary>Every check, configured by <paramref name="profile"/>.</summary>
    public static AuditChecks For(AuditProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var instance = new List<IInstanceCheck>();
        var collection = new List<Func<CollectionScratch, ICollectionCheck>>();

        // Quality checks (Audit/Quality).
        QualityRegistration.Register(profile, instance, collection);

        // De-identification checks (Audit/Deidentification).
        DeidentificationRegistration.Register(profile, instance, collection);

        return new AuditChecks(instance, collection);
    }

    /// <summary>Every rule of every check, sorted by id: the catalogue that <c>nccid-batch rules</c> and docs/audits.md show.</summary>
    public static IReadOnlyList<AuditRule> Catalogue()
    {
        var checks = For(AuditProfile.Basic);
        var rules = new Dictionary<string, AuditRule>(StringComparer.Ordinal);
        foreach (var check in checks.InstanceChecks)
        {
            foreach (var rule in check.Rules) rules.TryAdd(rule.Id, rule);
        }

        foreach (var factory in checks.CollectionCheckFactories)
        {
            foreach (var rule in factory(CollectionScratch.InMemory).Rules) rules.TryAdd(rule.Id, rule);
        }

        return rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
    }
}

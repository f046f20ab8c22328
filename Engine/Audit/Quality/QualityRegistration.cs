namespace Nccid.Batch.Audit;

/// <summary>Adds the quality checks to an audit.</summary>
internal static class QualityRegistration
{
    public static void Register(AuditProfile profile, List<IInstanceCheck> instance, List<Func<ICollectionCheck>> collection)
    {
        _ = profile;
        _ = instance;
        _ = collection;
    }
}

using Nccid.Batch.Audit.Deidentification;

namespace Nccid.Batch.Audit;

/// <summary>Adds the de-identification checks to an audit.</summary>
internal static class DeidentificationRegistration
{
    public static void Register(AuditProfile profile, List<IInstanceCheck> instance, List<Func<CollectionScratch, ICollectionCheck>> collection)
    {
        _ = collection;
        instance.Add(new DeidentificationCheck(profile));
    }
}

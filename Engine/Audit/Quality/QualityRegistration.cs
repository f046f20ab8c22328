using Nccid.Batch.Audit.Quality;

namespace Nccid.Batch.Audit;

/// <summary>Adds the quality checks to an audit.</summary>
internal static class QualityRegistration
{
    public static void Register(AuditProfile profile, List<IInstanceCheck> instance, List<Func<CollectionScratch, ICollectionCheck>> collection)
    {
        ArgumentNullException.ThrowIfNull(profile);
        instance.Add(new FileStructureCheck());
        instance.Add(new ModuleAttributeCheck());
        instance.Add(new ValueRepresentationCheck());
        instance.Add(new PixelModuleCheck());

        var tolerance = profile.SliceSpacingToleranceMm;
        collection.Add(scratch => new SeriesConsistencyCheck(tolerance, scratch));
        collection.Add(static scratch => new PatientConsistencyCheck(scratch));
        collection.Add(static scratch => new DuplicateInstanceCheck(scratch));
    }
}

using Nccid.Batch.Audit.Quality;

namespace Nccid.Batch.Audit;

/// <summary>Adds the quality checks to an audit.</summary>
internal static class QualityRegistration
{
    public static void Register(AuditProfile profile, List<IInstanceCheck> instance, List<Func<ICollectionCheck>> collection)
    {
        ArgumentNullException.ThrowIfNull(profile);
        instance.Add(new FileStructureCheck());
        instance.Add(new ModuleAttributeCheck());
        instance.Add(new ValueRepresentationCheck());
        instance.Add(new PixelModuleCheck());

        var tolerance = profile.SliceSpacingToleranceMm;
        collection.Add(() => new SeriesConsistencyCheck(tolerance));
        collection.Add(static () => new PatientConsistencyCheck());
        collection.Add(static () => new DuplicateInstanceCheck());
    }
}

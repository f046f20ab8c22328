using Nccid.Batch.Clinical;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>The tables of a release, in documentation order, with their columns.</summary>
public static class ReleaseTables
{
    /// <summary>Name and columns of every table a release holds.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<TableColumn> Columns)> All { get; } =
    [
        (PatientsTable.Schema.Name, PatientsTable.Schema.Columns),
        (StudiesTable.Studies.Name, StudiesTable.Studies.Columns),
        (StudiesTable.Series.Name, StudiesTable.Series.Columns),
        (InstancesTable.Schema.Name, InstancesTable.Schema.Columns),
        (ImagingOutcomesTable.Schema.Name, ImagingOutcomesTable.Schema.Columns),
        (FindingsTables.Quality.Name, FindingsTables.Quality.Columns),
        (FindingsTables.Deidentification.Name, FindingsTables.Deidentification.Columns),
        (QuarantineTable.Schema.Name, QuarantineTable.Schema.Columns),
        (OrphansTable.Schema.Name, OrphansTable.Schema.Columns),
        (CleaningChangesTable.Schema.Name, CleaningChangesTable.Schema.Columns),
        (AuditSummaryTable.Schema.Name, AuditSummaryTable.Schema.Columns),
    ];

    /// <summary>Descriptions by table name.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PatientsTable.Schema.Name] = PatientsTable.Schema.Description,
        [StudiesTable.Studies.Name] = StudiesTable.Studies.Description,
        [StudiesTable.Series.Name] = StudiesTable.Series.Description,
        [InstancesTable.Schema.Name] = InstancesTable.Schema.Description,
        [ImagingOutcomesTable.Schema.Name] = ImagingOutcomesTable.Schema.Description,
        [FindingsTables.Quality.Name] = FindingsTables.Quality.Description,
        [FindingsTables.Deidentification.Name] = FindingsTables.Deidentification.Description,
        [QuarantineTable.Schema.Name] = QuarantineTable.Schema.Description,
        [OrphansTable.Schema.Name] = OrphansTable.Schema.Description,
        [CleaningChangesTable.Schema.Name] = CleaningChangesTable.Schema.Description,
        [AuditSummaryTable.Schema.Name] = AuditSummaryTable.Schema.Description,
    };
}

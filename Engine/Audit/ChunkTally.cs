namespace Nccid.Batch.Audit;

/// <summary>
/// What the audit counted of one chunk's instances and their own findings (the per-instance rules'), kept in the
/// <see cref="CollectionState"/> so that a chunk kept whole is counted without decoding its instances: per patient and
/// drop-zone site, the files, the unreadable ones and the findings by rule and severity; and each finding that
/// quarantines its instance. The submitting centre is not kept: it is the run's, named from a group's patient and path.
/// </summary>
internal sealed class ChunkTally
{
    private readonly Dictionary<(string?, string?, string?), int> _groupOf = [];

    /// <summary>The groups, in the order their first instance came.</summary>
    public List<Group> Groups { get; } = [];

    /// <summary>The findings that quarantine their instance, in the order they came.</summary>
    public List<Mark> Marks { get; } = [];

    /// <summary>Counts one instance and its findings; <paramref name="quarantines"/> says which findings quarantine it.</summary>
    public void Add(InstanceFacts facts, IReadOnlyList<AuditFinding> findings, Func<AuditFinding, bool> quarantines)
    {
        var key = (facts.PatientId, facts.FolderPseudonym, SubmissionLayout.UploadSite(facts.Path));
        if (!_groupOf.TryGetValue(key, out var index))
        {
            index = Groups.Count;
            _groupOf[key] = index;
            Groups.Add(new Group(facts.PatientId, facts.FolderPseudonym, facts.Path));
        }

        var group = Groups[index];
        group.Files++;
        if (!facts.Readable) group.ErrorFiles++;
        foreach (var finding in findings)
        {
            var rule = (finding.Rule.Id, finding.Severity);
            group.Findings[rule] = group.Findings.GetValueOrDefault(rule) + 1;
            if (quarantines(finding)) Marks.Add(new Mark(index, finding.Path, finding.SopInstanceUid, finding.Rule.Id, finding.Severity));
        }
    }

    /// <summary>Adds a group read back from a state (in its order).</summary>
    public Group AddGroup(string? patientId, string? folderPseudonym, string path)
    {
        var group = new Group(patientId, folderPseudonym, path);
        Groups.Add(group);
        return group;
    }

    /// <summary>The instances of one patient (PatientID, the folder's pseudonym) at one drop-zone site.</summary>
    /// <param name="patientId">Their PatientID.</param>
    /// <param name="folderPseudonym">The pseudonym their folder names.</param>
    /// <param name="path">The first one's path (its site is the group's).</param>
    internal sealed class Group(string? patientId, string? folderPseudonym, string path)
    {
        /// <summary>Their PatientID.</summary>
        public string? PatientId => patientId;

        /// <summary>The pseudonym their folder names.</summary>
        public string? FolderPseudonym => folderPseudonym;

        /// <summary>The first one's path.</summary>
        public string Path => path;

        /// <summary>Files.</summary>
        public int Files { get; set; }

        /// <summary>Files that could not be read as DICOM.</summary>
        public int ErrorFiles { get; set; }

        /// <summary>Findings by rule id and severity.</summary>
        public Dictionary<(string RuleId, Severity Severity), int> Findings { get; } = [];
    }

    /// <summary>A finding that quarantines its instance.</summary>
    /// <param name="Group">The instance's group (for its centre).</param>
    /// <param name="Path">The instance's path.</param>
    /// <param name="SopInstanceUid">The SOP Instance UID the finding names.</param>
    /// <param name="RuleId">The rule.</param>
    /// <param name="Severity">Its severity.</param>
    internal readonly record struct Mark(int Group, string Path, string? SopInstanceUid, string RuleId, Severity Severity);
}

namespace Nccid.Batch.Synthetic;

/// <summary>How the synthetic corpus is laid out on disk.</summary>
public enum SyntheticCorpusLayout
{
    /// <summary>
    /// The curated warehouse: <c>{training|validation}/{xray|ct|mri}/&lt;Pseudonym&gt;/&lt;StudyUID&gt;/&lt;SeriesUID&gt;/&lt;SOPUID&gt;.dcm</c>
    /// and <c>{training|validation}/data/&lt;Pseudonym&gt;/{data|status}_YYYY-MM-DD.json</c>.
    /// </summary>
    Warehouse,

    /// <summary>
    /// What sites upload: <c>raw-&lt;site&gt;/&lt;YYYY-MM-DD&gt;/data/&lt;Pseudonym&gt;_{data|status}.json</c> and
    /// <c>raw-&lt;site&gt;/&lt;YYYY-MM-DD&gt;/images/&lt;name&gt;.dcm</c>, flat.
    /// </summary>
    Dropzone,
}

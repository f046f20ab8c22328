using Nccid.Batch.Audit;
using Nccid.Batch.Clinical;
using Nccid.Batch.Storage;
using Nccid.Batch.Tables;

namespace Nccid.Batch.Releases;

/// <summary>
/// Aggregates the released instances into the rows of the <c>studies</c> and <c>series</c> tables with memory bounded
/// by its sorts' buffers, not by the number of studies: consecutive instances of one study (or series) are summed into
/// one partial row, each partial goes through an <see cref="ExternalSorter{T}"/> by UID, and the partials of a UID,
/// met in the order they were made, are merged as the sorted rows are read. A row's first values (pseudonym, centre,
/// description, ...) are those of the first instance added with its UID, as when every row was kept in memory.
/// </summary>
internal sealed class StudySeriesAggregation : IDisposable
{
    private readonly ExternalSorter<StudyPartial> _studies;
    private readonly ExternalSorter<SeriesRow> _series;
    private StudyPartial? _study;
    private SeriesRow? _currentSeries;
    private bool _completed;
    private List<StudyPartial>? _recordedStudies;
    private List<SeriesRow>? _recordedSeries;

    /// <summary>An aggregation whose sorts keep at most <paramref name="partialsInMemory"/> partial rows each before writing a run under <paramref name="scratchDirectory"/>.</summary>
    public StudySeriesAggregation(string scratchDirectory, int partialsInMemory)
    {
        _studies = new ExternalSorter<StudyPartial>(Comparer<StudyPartial>.Create((a, b) => string.CompareOrdinal(a.Row.StudyInstanceUid, b.Row.StudyInstanceUid)),
            StudyPartialCodec.Instance, scratchDirectory, partialsInMemory);
        _series = new ExternalSorter<SeriesRow>(Comparer<SeriesRow>.Create((a, b) => string.CompareOrdinal(a.SeriesInstanceUid, b.SeriesInstanceUid)),
            SeriesRowCodec.Instance, scratchDirectory, partialsInMemory);
    }

    /// <summary>Adds a released instance of <paramref name="pseudonym"/>, whose clinical record gives its centre and split (null without one).</summary>
    public void Add(InstanceSummaryRow i, string? pseudonym, string? submittingCentre, string? split)
    {
        ArgumentNullException.ThrowIfNull(i);
        if (_completed) throw new InvalidOperationException("Instances cannot be added once the rows have been asked for.");
        if (i.StudyInstanceUid is { } studyUid)
        {
            if (_study is null || !string.Equals(_study.Row.StudyInstanceUid, studyUid, StringComparison.Ordinal))
            {
                if (_study is not null) AddStudy(_study);
                _study = new StudyPartial(new StudyRow
                {
                    StudyInstanceUid = studyUid, Pseudonym = pseudonym, SubmittingCentre = submittingCentre, Split = split,
                    StudyDescription = i.StudyDescription,
                });
            }

            var study = _study.Row;
            if (i.StudyDate is { } d && (study.StudyDate is null || d < study.StudyDate)) study.StudyDate = d;
            if (i.Modality is { } m) _study.Modalities.Add(m);
            if (i.SeriesInstanceUid is { } s) _study.Series.Add(s);
            study.InstanceCount++;
            study.Bytes += i.SizeBytes;
        }

        if (i.SeriesInstanceUid is { } seriesUid)
        {
            if (_currentSeries is null || !string.Equals(_currentSeries.SeriesInstanceUid, seriesUid, StringComparison.Ordinal))
            {
                if (_currentSeries is not null) AddSeries(_currentSeries);
                _currentSeries = new SeriesRow
                {
                    SeriesInstanceUid = seriesUid, StudyInstanceUid = i.StudyInstanceUid, Pseudonym = pseudonym, Modality = i.Modality, SeriesNumber = i.SeriesNumber,
                    SeriesDescription = i.SeriesDescription, BodyPartExamined = i.BodyPartExamined, Manufacturer = i.Manufacturer, ManufacturerModelName = i.ManufacturerModelName,
                };
            }

            _currentSeries.InstanceCount++;
            _currentSeries.Bytes += i.SizeBytes;
        }
    }

    /// <summary>The study rows, by Study Instance UID (ordinal); read once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<StudyRow> Studies()
    {
        Complete();
        StudyPartial? merged = null;
        foreach (var partial in _studies.Sorted())
        {
            if (merged is not null && string.Equals(merged.Row.StudyInstanceUid, partial.Row.StudyInstanceUid, StringComparison.Ordinal))
            {
                var row = merged.Row;
                if (partial.Row.StudyDate is { } d && (row.StudyDate is null || d < row.StudyDate)) row.StudyDate = d;
                merged.Modalities.UnionWith(partial.Modalities);
                merged.Series.UnionWith(partial.Series);
                row.InstanceCount += partial.Row.InstanceCount;
                row.Bytes += partial.Row.Bytes;
                continue;
            }

            if (merged is not null) yield return merged.Finish();
            merged = partial;
        }

        if (merged is not null) yield return merged.Finish();
    }

    /// <summary>The series rows, by Series Instance UID (ordinal); read once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<SeriesRow> Series()
    {
        Complete();
        SeriesRow? merged = null;
        foreach (var partial in _series.Sorted())
        {
            if (merged is not null && string.Equals(merged.SeriesInstanceUid, partial.SeriesInstanceUid, StringComparison.Ordinal))
            {
                merged.InstanceCount += partial.InstanceCount;
                merged.Bytes += partial.Bytes;
                continue;
            }

            if (merged is not null) yield return merged;
            merged = partial;
        }

        if (merged is not null) yield return merged;
    }

    /// <summary>
    /// Ends the partial rows being summed, so that the next instance starts new ones: the partials of a run of instances
    /// between two cuts are then made of those instances alone. The rows asked for at the end are the same.
    /// </summary>
    public void Cut()
    {
        if (_study is not null) AddStudy(_study);
        if (_currentSeries is not null) AddSeries(_currentSeries);
        _study = null;
        _currentSeries = null;
    }

    /// <summary>Starts keeping a copy of the partials made from here (call after a <see cref="Cut"/>), for <see cref="WriteRecorded"/>.</summary>
    public void StartRecording()
    {
        _recordedStudies = [];
        _recordedSeries = [];
    }

    /// <summary>Cuts, writes the partials made since <see cref="StartRecording"/> and stops keeping them.</summary>
    public void WriteRecorded(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_recordedStudies is null || _recordedSeries is null) throw new InvalidOperationException("Nothing is being recorded.");
        Cut();
        writer.Write7BitEncodedInt(_recordedStudies.Count);
        foreach (var study in _recordedStudies) StudyPartialCodec.Instance.Write(writer, study);
        writer.Write7BitEncodedInt(_recordedSeries.Count);
        foreach (var series in _recordedSeries) SeriesRowCodec.Instance.Write(writer, series);
        _recordedStudies = null;
        _recordedSeries = null;
    }

    /// <summary>Adds partials <see cref="WriteRecorded"/> wrote, as if their instances were added again (call after a <see cref="Cut"/>).</summary>
    public void Replay(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (_completed) throw new InvalidOperationException("Instances cannot be added once the rows have been asked for.");
        Cut();
        for (var n = reader.Read7BitEncodedInt(); n > 0; n--) AddStudy(StudyPartialCodec.Instance.Read(reader));
        for (var n = reader.Read7BitEncodedInt(); n > 0; n--) AddSeries(SeriesRowCodec.Instance.Read(reader));
    }

    private void AddStudy(StudyPartial study)
    {
        _studies.Add(study);
        _recordedStudies?.Add(study);
    }

    private void AddSeries(SeriesRow series)
    {
        _series.Add(series);
        _recordedSeries?.Add(series);
    }

    private void Complete()
    {
        if (_completed) return;
        Cut();
        _completed = true;
    }

    /// <summary>Deletes the sorts' run files.</summary>
    public void Dispose()
    {
        _studies.Dispose();
        _series.Dispose();
    }

    /// <summary>A study row summed over consecutive instances, with the sets its modalities and series count come from.</summary>
    private sealed class StudyPartial(StudyRow row)
    {
        public StudyRow Row { get; } = row;

        public SortedSet<string> Modalities { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Series { get; } = new(StringComparer.Ordinal);

        public StudyRow Finish()
        {
            Row.Modalities = [.. Modalities];
            Row.SeriesCount = Series.Count;
            return Row;
        }
    }

    private sealed class StudyPartialCodec : ISpillCodec<StudyPartial>
    {
        public static StudyPartialCodec Instance { get; } = new();

        public void Write(BinaryWriter writer, StudyPartial item)
        {
            var row = item.Row;
            InstanceFactsCodec.Str(writer, row.StudyInstanceUid);
            InstanceFactsCodec.Str(writer, row.Pseudonym);
            InstanceFactsCodec.Str(writer, row.SubmittingCentre);
            InstanceFactsCodec.Str(writer, row.Split);
            InstanceFactsCodec.Int(writer, row.StudyDate?.DayNumber);
            InstanceFactsCodec.Str(writer, row.StudyDescription);
            writer.Write(row.InstanceCount);
            writer.Write(row.Bytes);
            writer.Write7BitEncodedInt(item.Modalities.Count);
            foreach (var m in item.Modalities) writer.Write(m);
            writer.Write7BitEncodedInt(item.Series.Count);
            foreach (var s in item.Series) writer.Write(s);
        }

        public StudyPartial Read(BinaryReader reader)
        {
            var partial = new StudyPartial(new StudyRow
            {
                StudyInstanceUid = InstanceFactsCodec.ReadStr(reader) ?? throw new InvalidDataException("A spilled study has no UID."),
                Pseudonym = InstanceFactsCodec.ReadStr(reader),
                SubmittingCentre = InstanceFactsCodec.ReadStr(reader),
                Split = InstanceFactsCodec.ReadStr(reader),
                StudyDate = InstanceFactsCodec.ReadInt(reader) is { } day ? DateOnly.FromDayNumber(day) : null,
                StudyDescription = InstanceFactsCodec.ReadStr(reader),
                InstanceCount = reader.ReadInt32(),
                Bytes = reader.ReadInt64(),
            });
            for (var n = reader.Read7BitEncodedInt(); n > 0; n--) partial.Modalities.Add(reader.ReadString());
            for (var n = reader.Read7BitEncodedInt(); n > 0; n--) partial.Series.Add(reader.ReadString());
            return partial;
        }
    }

    private sealed class SeriesRowCodec : ISpillCodec<SeriesRow>
    {
        public static SeriesRowCodec Instance { get; } = new();

        public void Write(BinaryWriter writer, SeriesRow item)
        {
            InstanceFactsCodec.Str(writer, item.SeriesInstanceUid);
            InstanceFactsCodec.Str(writer, item.StudyInstanceUid);
            InstanceFactsCodec.Str(writer, item.Pseudonym);
            InstanceFactsCodec.Str(writer, item.Modality);
            InstanceFactsCodec.Int(writer, item.SeriesNumber);
            InstanceFactsCodec.Str(writer, item.SeriesDescription);
            InstanceFactsCodec.Str(writer, item.BodyPartExamined);
            InstanceFactsCodec.Str(writer, item.Manufacturer);
            InstanceFactsCodec.Str(writer, item.ManufacturerModelName);
            writer.Write(item.InstanceCount);
            writer.Write(item.Bytes);
        }

        public SeriesRow Read(BinaryReader reader) => new()
        {
            SeriesInstanceUid = InstanceFactsCodec.ReadStr(reader) ?? throw new InvalidDataException("A spilled series has no UID."),
            StudyInstanceUid = InstanceFactsCodec.ReadStr(reader),
            Pseudonym = InstanceFactsCodec.ReadStr(reader),
            Modality = InstanceFactsCodec.ReadStr(reader),
            SeriesNumber = InstanceFactsCodec.ReadInt(reader),
            SeriesDescription = InstanceFactsCodec.ReadStr(reader),
            BodyPartExamined = InstanceFactsCodec.ReadStr(reader),
            Manufacturer = InstanceFactsCodec.ReadStr(reader),
            ManufacturerModelName = InstanceFactsCodec.ReadStr(reader),
            InstanceCount = reader.ReadInt32(),
            Bytes = reader.ReadInt64(),
        };
    }
}

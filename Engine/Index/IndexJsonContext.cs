using System.Text.Json.Serialization;
using Nccid.Batch.Audit;
using Nccid.Batch.Dicom;

namespace Nccid.Batch.Index;

/// <summary>
/// Serialization code generated at build time for JSON the index only writes (the settings it hashes, a release's
/// report): a run started as a new process then builds no serializers for them by reflection. Not for JSON it reads
/// back into init-only properties: generated code gives one missing from the JSON its type's default, not the value its
/// declaration starts it with.
/// </summary>
[JsonSerializable(typeof(IndexReport))]
[JsonSerializable(typeof(AuditProfile))]
[JsonSerializable(typeof(DicomReadOptions))]
internal sealed partial class IndexJsonContext : JsonSerializerContext;

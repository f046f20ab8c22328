using System.Text.Json.Serialization;
using Nccid.Batch.Clinical;

namespace Nccid.Batch.Releases;

/// <summary>
/// Serialization code generated at build time for JSON every release writes (the job in its manifest, the clinical
/// records it spills and reads back): a release started as a new process then builds no serializers for them by
/// reflection. Only for types read back with settable properties or only written: generated code gives an init-only
/// property missing from the JSON its type's default, not the value its declaration starts it with.
/// </summary>
[JsonSerializable(typeof(ReleaseJob))]
[JsonSerializable(typeof(PatientRecord))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext;

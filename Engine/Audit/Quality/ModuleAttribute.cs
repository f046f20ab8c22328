namespace Nccid.Batch.Audit.Quality;

/// <summary>One row of a module table: an attribute, its type, and the IODs whose modules require it.</summary>
/// <param name="Tag">The attribute.</param>
/// <param name="Type">1 (present with a value) or 2 (present, possibly empty).</param>
/// <param name="Kinds">The IODs that include the module.</param>
/// <param name="Module">The module's name as PS3.3 gives it, for findings.</param>
internal readonly record struct ModuleAttribute(uint Tag, byte Type, ImagingKinds Kinds, string Module);

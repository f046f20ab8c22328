using System.CommandLine;
using Nccid.Batch.Releases;
using Nccid.Batch.Storage;

namespace Nccid.Batch.Cli;

/// <summary>The options that make an S3 Inventory report the listing of an s3:// source (scan and audit).</summary>
internal sealed class InventoryArguments
{
    public Option<string?> Manifest { get; } = new("--inventory")
    {
        Description = "List the s3:// source from this S3 Inventory report instead of ListObjectsV2: s3://bucket/.../manifest.json, or the inventory configuration's prefix (the newest manifest under it is used).",
    };

    public Option<double> MaxAgeDays { get; } = new("--inventory-max-age-days")
    {
        Description = "Do not use an inventory older than this (days, by its creationTimestamp); list with ListObjectsV2 instead.",
        DefaultValueFactory = _ => InventorySource.DefaultMaxAgeDays,
    };

    public Option<bool> Required { get; } = new("--inventory-required")
    {
        Description = "Fail when the inventory cannot be used, instead of falling back to ListObjectsV2.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Manifest);
        command.Options.Add(MaxAgeDays);
        command.Options.Add(Required);
    }

    /// <summary>The inventory options given, or null; problems (each a sentence) when they are wrong.</summary>
    public (S3InventoryOptions? Options, IReadOnlyList<string> Problems) Read(ParseResult parseResult, string source)
    {
        var manifest = parseResult.GetValue(Manifest);
        if (manifest is null) return (null, []);
        var inventory = new InventorySource { Manifest = manifest, MaxAgeDays = parseResult.GetValue(MaxAgeDays), Required = parseResult.GetValue(Required) };
        var problems = inventory.Validate(source).Select(p => p.Replace("at $.inventory.maxAgeDays:", "--inventory-max-age-days", StringComparison.Ordinal)
            .Replace("at $.inventory.manifest:", "--inventory:", StringComparison.Ordinal)
            .Replace("at $.inventory: ", "--inventory: ", StringComparison.Ordinal)
            .Replace("$.source", "the source", StringComparison.Ordinal)).ToArray();
        return problems.Length > 0 ? (null, problems) : (inventory.ToOptions(), []);
    }
}

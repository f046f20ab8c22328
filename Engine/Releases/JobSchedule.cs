namespace Nccid.Batch.Releases;

/// <summary>When a job runs: a Quartz cron expression in an explicit time zone, or only when asked.</summary>
/// <param name="Cron">Quartz cron expression (seconds first), or null for manual only.</param>
/// <param name="TimeZone">IANA time zone of the cron expression (default Europe/London).</param>
public sealed record JobSchedule(string? Cron = null, string TimeZone = "Europe/London");

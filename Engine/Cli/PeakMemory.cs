using System.Diagnostics;
using System.Globalization;

namespace Nccid.Batch.Cli;

/// <summary>
/// The process's peak resident memory over an interval. On Linux the kernel's high-water mark (VmHWM) can be
/// reset by writing 5 to <c>/proc/self/clear_refs</c>, so each measurement gets its own peak; elsewhere the peak
/// of the whole run is reported.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Starts a new interval; false when only the whole run's peak is available.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The peak resident bytes since the last <see cref="Reset"/> (or since the process started).</summary>
    public static long Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kib = line.AsSpan(6).Trim();
                if (kib.EndsWith("kB", StringComparison.Ordinal)) kib = kib[..^2].Trim();
                if (long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value * 1024;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux: fall through to the whole run's peak.
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}

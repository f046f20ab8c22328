using System.Globalization;
using System.Runtime.InteropServices;
using Nccid.Batch.Cli;
using Xunit;

namespace Nccid.Batch.Tests.Cli;

public sealed class NativeHeapTests
{
    [Fact]
    public void Trimming_returns_the_free_pages_in_the_middle_of_an_arena()
    {
        Assert.True(OperatingSystem.IsLinux(), "the engine runs on Linux, where glibc is its C library");
        // 16 MiB in 1 KiB blocks, below glibc's mmap threshold, so they come from an arena. One block in 64 stays
        // allocated: each 63 KiB freed between two of them is free memory that free() alone does not return.
        const int blocks = 16 * 1024, keepEvery = 64;
        var addresses = new IntPtr[blocks];
        for (var i = 0; i < blocks; i++)
        {
            addresses[i] = Marshal.AllocHGlobal(1024);
            for (var offset = 0; offset < 1024; offset += 256) Marshal.WriteByte(addresses[i], offset, 1);
        }

        var kept = Enumerable.Range(0, blocks).Where(i => i % keepEvery == keepEvery - 1).Select(i => addresses[i]).ToArray();
        try
        {
            for (var i = 0; i < blocks; i++)
            {
                if (i % keepEvery != keepEvery - 1) Marshal.FreeHGlobal(addresses[i]);
            }

            var before = ResidentKiB(kept);

            Assert.True(NativeHeap.TryTrim(out var released));

            var after = ResidentKiB(kept);
            Assert.True(released);
            Assert.True(before - after >= 8 * 1024, $"resident {before} KiB before the trim, {after} KiB after");
        }
        finally
        {
            foreach (var address in kept) Marshal.FreeHGlobal(address);
        }
    }

    /// <summary>The resident KiB of the mappings that hold any of <paramref name="addresses"/>, each counted once.</summary>
    private static long ResidentKiB(IntPtr[] addresses)
    {
        var targets = addresses.Select(a => (ulong)a.ToInt64()).ToArray();
        long total = 0;
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash
                && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
            {
                inside = targets.Any(t => t >= start && t < end);
            }
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}

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
        // 16 MiB in 1 KiB blocks, below glibc's mmap threshold, so they come from an arena; the last one stays allocated
        // so that freeing the others leaves free pages below it, which free() alone does not return.
        const int blocks = 16 * 1024;
        var addresses = new IntPtr[blocks];
        for (var i = 0; i < blocks; i++)
        {
            addresses[i] = Marshal.AllocHGlobal(1024);
            for (var offset = 0; offset < 1024; offset += 256) Marshal.WriteByte(addresses[i], offset, 1);
        }

        try
        {
            for (var i = 0; i < blocks - 1; i++)
            {
                Marshal.FreeHGlobal(addresses[i]);
            }

            var middle = addresses[blocks / 2];
            var before = ResidentKiB(middle);

            Assert.True(NativeHeap.TryTrim(out var released));

            var after = ResidentKiB(middle);
            Assert.True(released);
            Assert.True(before - after >= 8 * 1024, $"resident {before} KiB before the trim, {after} KiB after");
        }
        finally
        {
            Marshal.FreeHGlobal(addresses[blocks - 1]);
        }
    }

    /// <summary>The resident KiB of the mapping that holds <paramref name="address"/>.</summary>
    private static long ResidentKiB(IntPtr address)
    {
        var target = (ulong)address.ToInt64();
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash
                && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
            {
                inside = target >= start && target < end;
            }
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("No mapping holds the address " + address.ToString("x", CultureInfo.InvariantCulture) + ".");
    }
}

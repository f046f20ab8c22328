using SharpFuzz;

namespace Nccid.Batch.Fuzz;

/// <summary>
/// dicom-fuzz: with no arguments, the target of afl-fuzz (SharpFuzz's out-of-process loop); <c>seeds DIR</c> writes
/// the synthetic seed files; <c>replay FILE...</c> runs the target on files without AFL and prints each outcome.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["seeds", var folder])
        {
            var written = SeedWriter.Write(folder);
            Console.WriteLine($"{written} synthetic seeds written to {folder}");
            return 0;
        }

        if (args is ["replay", .. var files] && files.Length > 0)
        {
            var failed = 0;
            var target = new FuzzTarget();
            foreach (var file in files)
            {
                try
                {
                    Console.WriteLine($"{file}: {target.Run(File.ReadAllBytes(file))}");
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A replay reports every failing input, not only the first.
                    failed++;
                    Console.WriteLine($"{file}: FAILED {ex}");
                }
            }

            return failed == 0 ? 0 : 1;
        }

        if (args.Length != 0)
        {
            Console.Error.WriteLine("usage: dicom-fuzz [seeds DIR | replay FILE...]  (no arguments: run under afl-fuzz)");
            return 2;
        }

        // Instrumented engine code may run only inside the loop, where SharpFuzz has mapped AFL's coverage memory:
        // the target (and every static initialiser it triggers) is built on the first input.
        // DICOM_FUZZ_CANARY=1: an input starting with "CANARY" throws, so that scripts/fuzz.sh can check, before it
        // fuzzes, that afl-fuzz sees an exception of the target as a crash.
        var canary = Environment.GetEnvironmentVariable("DICOM_FUZZ_CANARY") == "1";
        FuzzTarget? fuzzTarget = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            if (canary && bytes.AsSpan().StartsWith("CANARY"u8)) throw new InvalidOperationException("The canary input.");
            fuzzTarget ??= new FuzzTarget();
            fuzzTarget.Run(bytes);
        });
        return 0;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansSync.Benchmarks;

/// <summary>A process's resident size, as the kernel reports it (Linux).</summary>
public static partial class ResidentMemory
{
    public static double Megabytes(int pid)
    {
        var status = File.ReadAllText($"/proc/{pid}/status");
        return double.Parse(RssLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture) / 1024;
    }

    [GeneratedRegex(@"VmRSS:\s+(\d+)")]
    private static partial Regex RssLine();
}

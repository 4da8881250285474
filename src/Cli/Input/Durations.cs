using System.Globalization;

namespace OrleansSync.Cli.Input;

/// <summary>Durations as people type them: <c>30d</c>, <c>12h</c>, <c>10m</c>, <c>30s</c>, <c>500ms</c>, <c>0</c>, or a .NET TimeSpan (<c>1.00:00:00</c>).</summary>
public static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        var s = text.Trim();
        if (s == "0") return TimeSpan.Zero;
        foreach (var (suffix, unit) in Units)
        {
            if (!s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            if (double.TryParse(s[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0 && double.IsFinite(amount))
                return unit * amount;
            break;
        }
        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero) return span;
        throw new UsageException($"{option} '{text}' is not a duration (e.g. 30d, 12h, 10m, 30s, 500ms, or 1.00:00:00).");
    }

    // Longest suffix first: "ms" before "s" and "m".
    private static readonly (string Suffix, TimeSpan Unit)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
    ];
}

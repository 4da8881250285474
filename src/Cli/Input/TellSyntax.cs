using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;

namespace OrleansSync.Cli.Input;

/// <summary>
/// What a person types as a value, read as the web view's tell form reads it: <c>3.5</c> a number, <c>[1, 2]</c> an
/// interval, <c>true</c>/<c>false</c> a boolean, <c>{"t": ...}</c> any value in its stored encoding (docs/GUN_SCHEMA.md),
/// <c>"..."</c> or anything else text.
/// </summary>
public static partial class TellSyntax
{
    public static PartialInfo Parse(string text, PartialInfoCodec codec)
    {
        var s = text.Trim();
        if (s.Length == 0) throw new UsageException("The value is empty.");
        if (Number(s) is { } number) return new NumberValue(number);
        if (IntervalPattern().Match(s) is { Success: true } interval)
        {
            return Number(interval.Groups[1].Value) is { } lo && Number(interval.Groups[2].Value) is { } hi
                ? Checked(() => new Interval(lo, hi), s)
                : throw new UsageException($"'{s}' is not an interval: write [lo, hi] with two numbers.");
        }
        if (s is "true" or "false") return new BoolValue(s == "true");
        if (s.StartsWith('{')) return Checked(() => codec.FromJson(s), s);
        if (s.Length > 1 && s[0] == '"' && s[^1] == '"')
        {
            try
            {
                return new TextValue(JsonSerializer.Deserialize<string>(s) ?? "");
            }
            catch (JsonException)
            {
                // Not a JSON string after all: the text as typed.
            }
        }
        return new TextValue(s);
    }

    private static double? Number(string s)
    {
        s = s.Trim();
        if (NumberPattern().IsMatch(s)) return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return s switch
        {
            "Infinity" or "+Infinity" or "∞" or "+∞" => double.PositiveInfinity,
            "-Infinity" or "-∞" => double.NegativeInfinity,
            _ => null,
        };
    }

    private static PartialInfo Checked(Func<PartialInfo> read, string s)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new UsageException($"'{s}' is not a value: {e.Message}");
        }
    }

    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\[(.*),(.*)\]$")]
    private static partial Regex IntervalPattern();
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansSync.GunGateway.Protocol;

namespace OrleansSync.Benchmarks;

/// <summary>
/// What SEA verification costs the gateway per signed put: <see cref="SeaCheck"/> over puts signed as gun/sea signs
/// them (one key per user, a fresh value per put), against the same puts to a soul no rule applies to. Single thread,
/// so the figure is CPU per put, to compare with the gateway's whole CPU per put from the gun benchmark.
/// </summary>
public static class SeaBenchmark
{
    public static async Task Run(int puts, int users)
    {
        var signers = Enumerable.Range(0, users).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signed = new List<JsonDocument>(puts);
        var plain = new List<JsonDocument>(puts);
        for (var i = 0; i < puts; i++)
        {
            var key = signers[i % users];
            var q = key.ExportParameters(false).Q;
            var pub = Base64Url(q.X!) + "." + Base64Url(q.Y!);
            var soul = "~" + pub + "/posts";
            var value = JsJson.Quote("message " + i);
            var state = (now + i).ToString(CultureInfo.InvariantCulture);
            var text = "{\"#\":" + JsJson.Quote(soul) + ",\".\":\"p" + i + "\",\":\":" + value + ",\">\":" + state + "}";
            var sig = key.SignData(SHA256.HashData(Encoding.UTF8.GetBytes(text)), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var wire = JsJson.Quote("{\":\":" + value + ",\"~\":\"" + Convert.ToBase64String(sig) + "\"}");
            signed.Add(JsonDocument.Parse(Put(soul, "p" + i, wire, state)));
            plain.Add(JsonDocument.Parse(Put("plain/posts", "p" + i, wire, state)));
        }
        var check = new SeaCheck((_, _) => Task.FromResult<JsonElement?>(null));
        // Warm-up: the JIT and OpenSSL's first calls.
        foreach (var put in signed.Take(Math.Min(500, puts))) await check.Check(put.RootElement, now);

        var signedUs = await Time(check, signed, now);
        var plainUs = await Time(check, plain, now);
        Console.WriteLine($"SEA check of {puts:N0} puts by {users} users, one thread (release):");
        Console.WriteLine();
        Console.WriteLine("| put | µs per put (CPU, one thread) |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| signed, to `~pub/posts` (verified) | {signedUs:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the same value to `plain/posts` (no rule applies) | {plainUs:F2} |"));
    }

    private static async Task<double> Time(SeaCheck check, List<JsonDocument> puts, long now)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var put in puts)
        {
            var verdict = await check.Check(put.RootElement, now);
            if (verdict.Error is not null) throw new InvalidOperationException("A signed put was refused: " + verdict.Error);
        }
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / puts.Count;
    }

    private static string Put(string soul, string key, string value, string state) =>
        "{" + JsJson.Quote(soul) + ":{\"_\":{\"#\":" + JsJson.Quote(soul) + ",\">\":{\"" + key + "\":" + state + "}},\"" + key + "\":" + value + "}}";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

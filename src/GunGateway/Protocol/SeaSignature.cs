using System.Security.Cryptography;
using System.Text;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// SEA's signatures: ECDSA P-256 over the SHA-256 digest of the signed JSON text (WebCrypto hashes that digest once
/// more), as raw r‖s in standard base64; a public key is <c>base64url(x) + "." + base64url(y)</c>.
/// </summary>
public static class SeaSignature
{
    /// <summary>True when <paramref name="signature"/> (base64) is <paramref name="pub"/>'s signature of <paramref name="signedText"/>.</summary>
    public static bool Verify(string pub, string signedText, string signature) =>
        SignatureBytes(signature) is { } decoded && Verify(pub, signedText, decoded);

    /// <summary>
    /// A signature's bytes as SEA decodes them (<c>atob</c>, "forgiving base64"): the standard alphabet, padding optional,
    /// ASCII whitespace ignored; anything else is not base64.
    /// </summary>
    private static byte[]? SignatureBytes(string signature)
    {
        var text = string.Concat(signature.Where(c => c is not (' ' or '\t' or '\n' or '\f' or '\r')));
        if (text.Any(c => c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '='))) return null;
        return Decode(text);
    }

    /// <summary>True when <paramref name="signature"/> (raw r‖s) is <paramref name="pub"/>'s signature of <paramref name="signedText"/>.</summary>
    public static bool Verify(string pub, string signedText, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64 || KeyOf(pub) is not { } key) return false;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(signedText));
        try
        {
            return key.VerifyData(digest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // Importing a key costs more than verifying with it: each thread keeps the keys it used last (a key object is not
    // for concurrent use), and starts over when it holds too many.
    [ThreadStatic] private static Dictionary<string, ECDsa?>? _keys;
    private const int KeysPerThread = 1024;

    private static ECDsa? KeyOf(string pub)
    {
        var keys = _keys ??= new Dictionary<string, ECDsa?>(StringComparer.Ordinal);
        if (keys.TryGetValue(pub, out var key)) return key;
        if (keys.Count >= KeysPerThread)
        {
            foreach (var old in keys.Values) old?.Dispose();
            keys.Clear();
        }
        key = null;
        if (TryPoint(pub, out var point))
        {
            try
            {
                key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = point });
            }
            catch (CryptographicException)
            {
                // Not a point on the curve: remembered as no key.
            }
        }
        return keys[pub] = key;
    }

    /// <summary>The public key a soul belongs to, as SEA reads it (<c>SEA.opt.pub</c>): the two word-runs after its first <c>~</c>.</summary>
    public static string? PubOf(string soul)
    {
        var tilde = soul.IndexOf('~', StringComparison.Ordinal);
        if (tilde < 0) return null;
        var rest = soul[(tilde + 1)..];
        var end = rest.IndexOf('~', StringComparison.Ordinal);
        if (end >= 0) rest = rest[..end];
        if (rest.Length == 0) return null;
        var parts = new List<string>(2);
        var start = 0;
        for (var i = 0; i <= rest.Length && parts.Count < 2; i++)
        {
            if (i < rest.Length && IsWord(rest[i])) continue;
            parts.Add(rest[start..i]);
            start = i + 1;
        }
        if (parts.Count != 2 || (parts[0].Length > 0 && parts[0][0] == '@')) return null;
        return parts[0] + "." + parts[1];
    }

    private static bool IsWord(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-';

    private static bool TryPoint(string pub, out ECPoint point)
    {
        point = default;
        var dot = pub.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return false;
        var x = FromBase64(pub[..dot]);
        var y = FromBase64(pub[(dot + 1)..]);
        if (x is not { Length: 32 } || y is not { Length: 32 }) return false;
        point = new ECPoint { X = x, Y = y };
        return true;
    }

    /// <summary>A JWK coordinate's bytes: URL-safe base64 (standard accepted too).</summary>
    private static byte[]? FromBase64(string text) => Decode(text.Replace('-', '+').Replace('_', '/'));

    /// <summary>Standard base64 with its padding optional; null when it is not base64.</summary>
    private static byte[]? Decode(string text)
    {
        text += (text.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

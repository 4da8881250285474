namespace OrleansSync.GunGateway.Protocol;

/// <summary>What the relay accepts in one message: souls per put, soul and key lengths, and how far ahead a state may be.</summary>
public sealed record GunLimits(int MaxSouls, int MaxSoulLength, int MaxKeyLength, double MaxFutureMs)
{
    /// <summary>Why a soul cannot be used (gun-style text), or null when it can.</summary>
    public string? CheckSoul(string soul)
    {
        if (soul.Length == 0) return "Error: Invalid graph! '' empty soul.";
        if (string.IsNullOrWhiteSpace(soul)) return "Error: Invalid soul! Only whitespace.";
        if (soul.Length > MaxSoulLength) return $"Error: Invalid soul! Longer than {MaxSoulLength} characters.";
        return null;
    }

    /// <summary>Why a key of <paramref name="soul"/> cannot be written, or null when it can.</summary>
    public string? CheckKey(string soul, string key)
    {
        if (key.Length == 0) return $"Error: Invalid graph! '{soul}.' empty key.";
        if (key.Length > MaxKeyLength) return $"Error: Invalid graph! '{soul}' has a key longer than {MaxKeyLength} characters.";
        return null;
    }
}

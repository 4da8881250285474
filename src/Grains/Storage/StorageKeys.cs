namespace OrleansSync.Grains.Storage;

/// <summary>
/// The keys rows are stored under. Orleans' AdoNet storage parses a string key that looks like a number — hex
/// digits ("12", "add", "c0"), before any '+' — or a 32-digit GUID as that number, and stores it without the string:
/// "12" and "012" then share one row, and the key cannot be read back. Such keys (and keys starting with the escape
/// character, so that escaping stays reversible) are stored with <see cref="Escape"/> in front.
/// </summary>
public static class StorageKeys
{
    public const char Escape = '~';

    public static bool NeedsEscape(string key)
    {
        if (key.Length > 0 && key[0] == Escape) return true;
        var plus = key.IndexOf('+');
        var head = plus < 0 ? key.AsSpan() : key.AsSpan(0, plus);
        if (head.Length == 0) return false;
        foreach (var c in head)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    public static string ToStored(string key) => NeedsEscape(key) ? Escape + key : key;

    /// <summary>The key a stored one stands for; keys written before escaping existed come back as they were.</summary>
    public static string FromStored(string stored) => stored.Length > 0 && stored[0] == Escape ? stored[1..] : stored;

    /// <summary>The grain id a row of <paramref name="grainType"/> with <paramref name="key"/> is stored under.</summary>
    public static GrainId For(string grainType, string key) => GrainId.Create(grainType, ToStored(key));
}

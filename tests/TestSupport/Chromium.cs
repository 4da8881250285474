namespace OrleansSync.TestSupport;

/// <summary>The browser the web view tests drive: Debian's chromium (the test command installs it), or ORLEANSSYNC_CHROMIUM.</summary>
public static class Chromium
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("ORLEANSSYNC_CHROMIUM") is { Length: > 0 } configured) return configured;
        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium" })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException("Chromium is needed for the web view tests: run ./scripts/test.sh (it installs Debian's chromium), or set ORLEANSSYNC_CHROMIUM.");
    }
}

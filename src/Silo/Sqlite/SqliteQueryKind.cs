namespace OrleansSync.Silo.Sqlite;

/// <summary>Which storage queries may run beside the writer.</summary>
public static class SqliteQueryKind
{
    /// <summary>
    /// Whether <paramref name="text"/> is one SELECT statement (comments and a final semicolon aside): the queries that
    /// may bypass the writer. Anything else, including text this cannot tell, is treated as a write, which is always
    /// correct, only serialized.
    /// </summary>
    public static bool IsSingleSelect(string text)
    {
        var span = SkipCommentsAndSpace(text.AsSpan());
        if (!span.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)) return false;
        var semicolon = span.IndexOf(';');
        return semicolon < 0 || SkipCommentsAndSpace(span[(semicolon + 1)..]).IsEmpty;
    }

    private static ReadOnlySpan<char> SkipCommentsAndSpace(ReadOnlySpan<char> span)
    {
        while (true)
        {
            span = span.TrimStart();
            if (span.StartsWith("--"))
            {
                var end = span.IndexOf('\n');
                span = end < 0 ? [] : span[(end + 1)..];
            }
            else if (span.StartsWith("/*"))
            {
                var end = span.IndexOf("*/");
                span = end < 0 ? [] : span[(end + 2)..];
            }
            else return span;
        }
    }
}

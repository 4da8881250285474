namespace OrleansSync.Graph;

/// <summary>
/// Mark phase of compaction, plain data: from the roots, follow each cell's references (carried-cell
/// children, closure environments) to everything reachable. References to cells that are not known (not
/// stored, or archived) are marked too, so the caller can restore archived ones that became reachable.
/// </summary>
public static class Reachability
{
    public static HashSet<string> Mark(IEnumerable<string> roots, IReadOnlyDictionary<string, string[]> references)
    {
        var marked = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var root in roots)
            if (marked.Add(root)) pending.Push(root);
        while (pending.TryPop(out var cell))
        {
            if (!references.TryGetValue(cell, out var children)) continue;
            foreach (var child in children)
                if (marked.Add(child)) pending.Push(child);
        }
        return marked;
    }
}

namespace OrleansSync.Grains.Premises;

/// <summary>The worldview's stored state. Premise sets are stored as sorted string lists.</summary>
[GenerateSerializer, Alias("os.worldview-state")]
public sealed class WorldviewState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public List<string> KickedOut { get; set; } = [];

    [Id(2)] public List<List<string>> Nogoods { get; set; } = [];

    [Id(3)] public List<AmbChoice> Ambs { get; set; } = [];

    /// <summary>Contradictions currently reported, by source (a cell id, or <c>amb:{id}</c> for an exhausted search).</summary>
    [Id(4)] public Dictionary<string, StoredContradiction> Contradictions { get; set; } = [];

    /// <summary>The cell version of the last report from each cell that ever reported a contradiction.</summary>
    [Id(5)] public Dictionary<string, long> ReportVersions { get; set; } = [];
}

[GenerateSerializer, Alias("os.stored-contradiction")]
public sealed class StoredContradiction
{
    [Id(0)] public string Reason { get; set; } = "";

    [Id(1)] public List<string> Nogood { get; set; } = [];

    [Id(2)] public bool Unresolvable { get; set; }
}

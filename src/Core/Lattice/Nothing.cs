namespace OrleansSync.Lattice;

/// <summary>"I know nothing": the identity of merge on both sides.</summary>
[GenerateSerializer, Immutable, Alias("os.nothing")]
public sealed class Nothing : PartialInfo
{
    public static readonly Nothing Instance = new();

    public override bool IsNothing => true;

    public override bool Equals(object? obj) => obj is Nothing;

    public override int GetHashCode() => 0x6e6f7468;

    public override string ToString() => "nothing";
}

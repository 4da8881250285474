namespace OrleansSync.Grains.Premises;

/// <summary>A premise's stored index: the cells whose content mentions it. Its belief lives in the worldview.</summary>
[GenerateSerializer, Alias("os.premise-state")]
public sealed class PremiseState
{
    [Id(0)] public List<string> Cells { get; set; } = [];
}

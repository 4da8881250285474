using OrleansSync.Lattice;
using OrleansSync.Propagation;

namespace OrleansSync.TestSupport.Puzzles;

/// <summary>
/// SICP's multiple-dwelling puzzle as SDF states it with p:amb: Baker, Cooper, Fletcher, Miller and Smith live on
/// different floors of a five-floor building; Baker not on the top, Cooper not on the bottom, Fletcher on neither,
/// Miller above Cooper, Smith not next to Fletcher, Fletcher not next to Cooper. The one answer is (3 2 4 5 1).
/// Requirements are plain facts (true/false told to a cell that receives supported values), as SDF's
/// <c>require</c> and <c>forbid</c> are.
/// </summary>
public static class MultipleDwelling
{
    public static readonly string[] People = ["baker", "cooper", "fletcher", "miller", "smith"];

    public static readonly double[] Answer = [3, 2, 4, 5, 1];

    /// <summary>The propagators, on <paramref name="machine"/>(i) for the i-th; cell names and propagator ids go through <paramref name="cell"/>.</summary>
    public static IReadOnlyList<PropagatorSpec> Propagators(Func<string, string> cell, Func<int, string> machine, string network = "")
    {
        var specs = new List<PropagatorSpec>();
        PropagatorSpec Spec(string name, string implementation, string[] inputs, string[] outputs, params PartialInfo[] arguments) =>
            new(PropagatorIds.New(machine(specs.Count), cell(name)), implementation, [.. inputs.Select(cell)], [.. outputs.Select(cell)], arguments, network);

        var floors = Enumerable.Range(1, 5).Select(f => (PartialInfo)new NumberValue(f)).ToArray();
        foreach (var person in People) specs.Add(Spec($"amb-{person}", BuiltInPropagators.Amb, [], [person], floors));
        specs.Add(Spec("one", BuiltInPropagators.Constant, [], ["one"], new NumberValue(1)));
        specs.Add(Spec("five", BuiltInPropagators.Constant, [], ["five"], new NumberValue(5)));
        for (var i = 0; i < People.Length; i++)
            for (var j = i + 1; j < People.Length; j++)
                specs.Add(Spec($"{People[i]}={People[j]}", BuiltInPropagators.Equal, [People[i], People[j]], [$"{People[i]}={People[j]}"]));
        specs.Add(Spec("baker=5", BuiltInPropagators.Equal, ["baker", "five"], ["baker=5"]));
        specs.Add(Spec("cooper=1", BuiltInPropagators.Equal, ["cooper", "one"], ["cooper=1"]));
        specs.Add(Spec("fletcher=5", BuiltInPropagators.Equal, ["fletcher", "five"], ["fletcher=5"]));
        specs.Add(Spec("fletcher=1", BuiltInPropagators.Equal, ["fletcher", "one"], ["fletcher=1"]));
        specs.Add(Spec("miller>cooper", BuiltInPropagators.GreaterThan, ["miller", "cooper"], ["miller>cooper"]));
        specs.Add(Spec("smith-fletcher", BuiltInPropagators.Subtract, ["smith", "fletcher"], ["smith-fletcher"]));
        specs.Add(Spec("|smith-fletcher|", BuiltInPropagators.Abs, ["smith-fletcher"], ["|smith-fletcher|"]));
        specs.Add(Spec("smith-next-to-fletcher", BuiltInPropagators.Equal, ["|smith-fletcher|", "one"], ["smith-next-to-fletcher"]));
        specs.Add(Spec("fletcher-cooper", BuiltInPropagators.Subtract, ["fletcher", "cooper"], ["fletcher-cooper"]));
        specs.Add(Spec("|fletcher-cooper|", BuiltInPropagators.Abs, ["fletcher-cooper"], ["|fletcher-cooper|"]));
        specs.Add(Spec("fletcher-next-to-cooper", BuiltInPropagators.Equal, ["|fletcher-cooper|", "one"], ["fletcher-next-to-cooper"]));
        return specs;
    }

    /// <summary>The requirements: what must be false (forbid) or true (require), as plain facts.</summary>
    public static IReadOnlyList<(string Cell, PartialInfo Value)> Requirements(Func<string, string> cell)
    {
        var facts = new List<(string, PartialInfo)>();
        for (var i = 0; i < People.Length; i++)
            for (var j = i + 1; j < People.Length; j++)
                facts.Add((cell($"{People[i]}={People[j]}"), BoolValue.False));
        foreach (var forbidden in new[] { "baker=5", "cooper=1", "fletcher=5", "fletcher=1", "smith-next-to-fletcher", "fletcher-next-to-cooper" })
            facts.Add((cell(forbidden), BoolValue.False));
        facts.Add((cell("miller>cooper"), BoolValue.True));
        return facts;
    }

    /// <summary>The floor a cell's strongest value says (a supported number), or NaN.</summary>
    public static double Floor(PartialInfo strongest) => (strongest is Supported s ? s.Value : strongest) is NumberValue n ? n.Value : double.NaN;
}

using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// A propagator as stored and shared: its id (which begins with the id of the machine it runs on), the
/// name of its implementation, its cells, constant arguments, and the network it belongs to (the scope of
/// quiescence and contradiction reports; "" is the default network). Never code.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.propagator-spec")]
public sealed class PropagatorSpec(
    string id, string implementation, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<PartialInfo> arguments, string network = "")
{
    [Id(0)] internal readonly string _id = id;
    [Id(1)] internal readonly string _implementation = implementation;
    [Id(2)] internal readonly IReadOnlyList<string> _inputs = inputs;
    [Id(3)] internal readonly IReadOnlyList<string> _outputs = outputs;
    [Id(4)] internal readonly IReadOnlyList<PartialInfo> _arguments = arguments;
    [Id(5)] internal readonly string _network = network ?? "";

    public string Id => _id;

    public string Implementation => _implementation;

    public IReadOnlyList<string> Inputs => _inputs;

    public IReadOnlyList<string> Outputs => _outputs;

    public IReadOnlyList<PartialInfo> Arguments => _arguments;

    public string Network => _network;

    public string Machine => PropagatorIds.MachineOf(Id);

    /// <summary>The same propagator: id, implementation, cells and arguments (the network is where it reports, not what it is).</summary>
    public bool SameAs(PropagatorSpec other) =>
        Id == other.Id && Implementation == other.Implementation && Inputs.SequenceEqual(other.Inputs) &&
        Outputs.SequenceEqual(other.Outputs) && Arguments.SequenceEqual(other.Arguments);

    public PropagatorSpec InNetwork(string network) => network == _network ? this : new(_id, _implementation, _inputs, _outputs, _arguments, network);

    public override string ToString() => $"{Id}: {Implementation}({string.Join(", ", Inputs)} -> {string.Join(", ", Outputs)})";
}

/// <summary>Propagator ids are <c>{machine}/{local id}</c>: the prefix pins the propagator to its machine.</summary>
public static class PropagatorIds
{
    public static string New(string machine, string? localId = null)
    {
        MachineIds.Validate(machine);
        return $"{machine}/{localId ?? Guid.NewGuid().ToString("N")}";
    }

    public static string MachineOf(string propagatorId)
    {
        var slash = propagatorId.IndexOf('/');
        return slash > 0 ? propagatorId[..slash] : throw new ArgumentException($"Propagator id '{propagatorId}' does not start with a machine id and '/'.");
    }
}

public static class MachineIds
{
    public static void Validate(string machine)
    {
        if (string.IsNullOrWhiteSpace(machine) || machine.Contains('/') || machine.Length > 200)
            throw new ArgumentException($"'{machine}' is not a machine id: it must be non-empty, without '/', at most 200 characters.");
    }
}

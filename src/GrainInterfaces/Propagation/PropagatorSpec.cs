using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// A propagator as stored and shared: its id (which begins with the id of the machine it runs on), the
/// name of its implementation, its cells, and constant arguments. Never code.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.propagator-spec")]
public sealed record PropagatorSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] string Implementation,
    [property: Id(2)] IReadOnlyList<string> Inputs,
    [property: Id(3)] IReadOnlyList<string> Outputs,
    [property: Id(4)] IReadOnlyList<PartialInfo> Arguments)
{
    public string Machine => PropagatorIds.MachineOf(Id);

    public bool SameAs(PropagatorSpec other) =>
        Id == other.Id && Implementation == other.Implementation && Inputs.SequenceEqual(other.Inputs) &&
        Outputs.SequenceEqual(other.Outputs) && Arguments.SequenceEqual(other.Arguments);
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

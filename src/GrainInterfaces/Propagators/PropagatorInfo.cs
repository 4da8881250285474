using OrleansSync.Propagation;

namespace OrleansSync.Propagators;

/// <summary>A propagator's metadata and what it last did.</summary>
[GenerateSerializer, Immutable, Alias("os.propagator-info")]
public sealed record PropagatorInfo(
    [property: Id(0)] PropagatorSpec Spec,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset? DisposedAt,
    [property: Id(3)] PropagatorStatus Status,
    [property: Id(4)] string Detail,
    [property: Id(5)] long Runs)
{
    public string Id => Spec.Id;

    public string Machine => Spec.Machine;
}

public enum PropagatorStatus
{
    /// <summary>Stored but not run yet.</summary>
    Created,
    /// <summary>Ran and merged its results.</summary>
    Ran,
    /// <summary>An input is nothing or a contradiction, so there is nothing to compute yet.</summary>
    WaitingForInputs,
    /// <summary>Its machine is not active; it catches up from its inputs' current values when the machine returns.</summary>
    WaitingForMachine,
    /// <summary>The implementation threw; <see cref="PropagatorInfo.Detail"/> says what. It runs again on the next change.</summary>
    Failed,
    Disposed,
}

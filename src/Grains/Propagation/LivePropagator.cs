using OrleansSync.Cells;
using OrleansSync.Grains.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// A propagator active on this silo, as its scheduler runs it: spec, implementation, the newest value seen of each
/// input, and what its last run did. Wakes come from any thread; runs may overlap (merges are joins, so results
/// agree). Inputs held by cells active on this silo are read from them directly, so they are always the freshest.
/// </summary>
public sealed class LivePropagator(PropagatorSpec spec, IPropagatorImplementation implementation, bool expanded)
{
    private readonly Lock _gate = new();
    // The newest strongest value seen of each input, from wakes or reads. A value can only be overtaken by a newer
    // one whose wake is on its way, and propagators are monotone, so computing from it is safe.
    private readonly Dictionary<string, (CellStamp Stamp, PartialInfo Strongest)> _inputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);

    public string Id => Spec.Id;

    public PropagatorSpec Spec { get; } = spec;

    public IPropagatorImplementation Implementation { get; } = implementation;

    /// <summary>Runs entirely in the scheduler: a primitive. Compounds, applications and ambs are run by their grain.</summary>
    public bool IsPrimitive { get; } = implementation is IPrimitivePropagator;

    /// <summary>A compound, application or amb that did its one-time part: waking it does nothing.</summary>
    public bool Expanded { get; set; } = expanded;

    public PropagatorStatus Status { get; private set; } = PropagatorStatus.Created;

    public string Detail { get; private set; } = "";

    public long Runs => Interlocked.Read(ref _runs);

    private long _runs;

    /// <summary>Keeps a newer value of an input; false when it is not an input or not newer than what was seen.</summary>
    public bool Offer(string cellId, CellStamp stamp, PartialInfo strongest)
    {
        if (!Spec.Inputs.Contains(cellId)) return false;
        lock (_gate)
        {
            if (_inputs.TryGetValue(cellId, out var known) && known.Stamp >= stamp) return false;
            _inputs[cellId] = (stamp, strongest);
            return true;
        }
    }

    /// <summary>Inputs that were never seen and are not held by a cell on this silo.</summary>
    public IReadOnlyList<string> Unseen(Func<string, LiveCell?> local)
    {
        lock (_gate) return [.. Spec.Inputs.Distinct().Where(c => !_inputs.ContainsKey(c) && local(c) is null)];
    }

    /// <summary>The inputs' values for a run; false when one was never seen.</summary>
    public bool TryGatherInputs(Func<string, LiveCell?> local, out PartialInfo[] inputs)
    {
        inputs = new PartialInfo[Spec.Inputs.Count];
        lock (_gate)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var cell = Spec.Inputs[i];
                if (local(cell) is { } live) inputs[i] = live.Current.Strongest;
                else if (_inputs.TryGetValue(cell, out var seen)) inputs[i] = seen.Strongest;
                else return false;
            }
        }
        return true;
    }

    /// <summary>True when not already queued for <paramref name="network"/>.</summary>
    public bool TryQueue(string network)
    {
        lock (_gate) return _queued.Add(network);
    }

    /// <summary>Taken off the queue: a wake from now on queues it again (the run may read an older value).</summary>
    public void Dequeued(string network)
    {
        lock (_gate) _queued.Remove(network);
    }

    public void Ran(PropagatorStatus status, string detail)
    {
        Interlocked.Increment(ref _runs);
        GrainMetrics.PropagatorRuns.Add(1);
        lock (_gate)
        {
            Status = status;
            Detail = detail;
        }
    }

    public (PropagatorStatus Status, string Detail) Current
    {
        get
        {
            lock (_gate) return (Status, Detail);
        }
    }
}

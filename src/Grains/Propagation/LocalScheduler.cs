using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Cells;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Machines;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// This silo's propagation scheduler: MIT's queue of alerted propagators, for the cells and propagators active here.
/// A hop between a cell and a propagator on this silo costs no grain message: the cell wakes the propagator in this
/// queue, a worker runs it, and its result is merged into the output cell directly when that cell is here too.
/// Everything else goes by message: a wake to another machine in a batch (<see cref="RemoteWakes"/>), a result to a
/// cell elsewhere as a call to that cell. Every queued run and every message is counted for its network's quiescence.
/// </summary>
public sealed partial class LocalScheduler : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LiveCell> _cells = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LivePropagator> _propagators = new(StringComparer.Ordinal);
    private readonly Channel<(LivePropagator Propagator, NetworkCounters Counters, string Network)> _queue =
        Channel.CreateUnbounded<(LivePropagator, NetworkCounters, string)>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Task[] _workers;
    private readonly IGrainFactory _grains;
    private readonly PropagationTracker _tracker;
    private readonly MachineDirectory _machines;
    private readonly RemoteWakes _remote;
    private readonly ILogger<LocalScheduler> _logger;
    private readonly Func<string, LiveCell?> _local;

    public LocalScheduler(IGrainFactory grains, PropagationTracker tracker, MachineDirectory machines, RemoteWakes remote,
        IOptions<SchedulerOptions> options, ILogger<LocalScheduler> logger)
    {
        _grains = grains;
        _tracker = tracker;
        _machines = machines;
        _remote = remote;
        _logger = logger;
        _local = Cell;
        var workers = options.Value.Workers > 0 ? options.Value.Workers : Environment.ProcessorCount;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(Work))];
    }

    private long _lastRun;

    /// <summary>When a propagator last ran here (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long LastRun => Volatile.Read(ref _lastRun);

    /// <summary>Runs queued now.</summary>
    public int Queued => _queue.Reader.Count;

    public void Register(LiveCell cell) => _cells[cell.Id] = cell;

    public void Unregister(LiveCell cell) => _cells.TryRemove(KeyValuePair.Create(cell.Id, cell));

    public LiveCell? Cell(string id) => _cells.GetValueOrDefault(id);

    public void Register(LivePropagator propagator) => _propagators[propagator.Id] = propagator;

    public void Unregister(LivePropagator propagator) => _propagators.TryRemove(KeyValuePair.Create(propagator.Id, propagator));

    /// <summary>A cell's strongest value changed: wake the propagators that read it, each on its own machine.</summary>
    public void WakeReaders(string cellId, IReadOnlyList<string> readers, CellStamp stamp, PartialInfo strongest, NetworkCounters counters, string network, bool inline = false)
    {
        var local = _machines.LocalMachine;
        Dictionary<string, List<Wake>>? remote = null;
        // A change a message from another silo brought: the first reader runs here at once, the others queue for the
        // workers to share. (Inside a run the worker takes them next anyway.)
        inline = inline && _depth == 0;
        foreach (var id in readers)
        {
            var machine = PropagatorIds.MachineOf(id);
            if (machine == local)
            {
                Deliver(new Wake(id, cellId, stamp, strongest, network), counters, inline);
                inline = false;
            }
            else
            {
                // Sent even when this silo's view says the machine is down: the view may lag behind a machine that just
                // came back (and already read its inputs). If it is down the message fails at once, and the propagator
                // catches up from current values when the machine returns.
                if (!_machines.IsActive(machine)) LogMachineDown(cellId, id, machine);
                remote ??= new(StringComparer.Ordinal);
                if (!remote.TryGetValue(machine, out var wakes)) remote[machine] = wakes = [];
                wakes.Add(new Wake(id, cellId, stamp, strongest, network));
            }
        }
        if (remote is null) return;
        foreach (var (machine, wakes) in remote) _remote.Send(machine, wakes, counters, expectDown: !_machines.IsActive(machine));
    }

    /// <summary>
    /// A wake for a propagator of this machine: queued when it is active here, else sent to its grain (which activates
    /// it). <paramref name="inline"/> runs it on the calling thread when it can run at once: a wake that came from
    /// another machine then costs no further thread hop.
    /// </summary>
    public void Deliver(Wake wake, NetworkCounters? counters = null, bool inline = false)
    {
        counters ??= _tracker.For(wake.Network);
        if (_propagators.TryGetValue(wake.PropagatorId, out var propagator))
        {
            if (!propagator.Offer(wake.CellId, wake.Stamp, wake.Strongest)) return;
            if (inline && _depth == 0 && propagator.IsPrimitive && propagator.TryQueue(wake.Network))
            {
                counters.Start();
                Run(propagator, counters, wake.Network);
            }
            else
            {
                Enqueue(propagator, wake.Network, counters);
            }
            return;
        }
        var grain = _grains.GetGrain<IPropagatorGrain>(wake.PropagatorId);
        _tracker.Send(counters, () => grain.Wake(wake), $"wake {wake.PropagatorId} from {wake.CellId}");
    }

    /// <summary>Queues a run (once per network while queued), counted as started work of the network.</summary>
    public void Enqueue(LivePropagator propagator, string network, NetworkCounters? counters = null)
    {
        if (!propagator.IsPrimitive && propagator.Expanded) return;
        if (!propagator.TryQueue(network)) return;
        counters ??= _tracker.For(network);
        counters.Start();
        if (!_queue.Writer.TryWrite((propagator, counters, network)))
        {
            propagator.Dequeued(network);
            counters.Finish();
        }
    }

    /// <summary>Merges a propagator's result into a cell: directly when the cell is active here, else through its grain.</summary>
    public void MergeInto(string cellId, PartialInfo value, NetworkCounters counters, string network)
    {
        if (_cells.TryGetValue(cellId, out var cell) && cell.TryMergeDerived(value, counters, network)) return;
        MergeThroughGrain(cellId, value, counters, network);
    }

    /// <summary>Sends a result to the cell's grain: the cell is not active here, or is closing.</summary>
    public void MergeThroughGrain(string cellId, PartialInfo value, NetworkCounters counters, string network)
    {
        var grain = _grains.GetGrain<ICellGrain>(cellId);
        _tracker.Send(counters, () => grain.MergeDerived(value, network), $"merge into {cellId}");
    }

    /// <summary>
    /// Carries out what a run came to when a primitive's rules settle it — results merged into the outputs, waiting, or
    /// failed — and records it on the propagator. False for what only the propagator's grain carries out (a build, an
    /// application, a choice).
    /// </summary>
    public bool Complete(LivePropagator propagator, RunOutcome outcome, NetworkCounters counters, string network)
    {
        switch (outcome)
        {
            case RunOutcome.Outputs outputs:
                for (var i = 0; i < outputs.Values.Count; i++)
                    if (!outputs.Values[i].IsNothing) MergeInto(propagator.Spec.Outputs[i], outputs.Values[i], counters, network);
                propagator.Ran(PropagatorStatus.Ran, "");
                return true;
            case RunOutcome.Waiting waiting:
                propagator.Ran(PropagatorStatus.WaitingForInputs, waiting.Detail);
                return true;
            case RunOutcome.Failed failed:
                LogImplementationFailed(failed.Error, propagator.Id, propagator.Spec.Implementation, failed.Detail);
                propagator.Ran(PropagatorStatus.Failed, failed.Detail);
                return true;
            default:
                return false;
        }
    }

    private async Task Work()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
            while (reader.TryRead(out var item))
                Run(item.Propagator, item.Counters, item.Network);
    }

    // Runs in progress on this thread: an inline run never starts inside another (no deep recursion).
    [ThreadStatic]
    private static int _depth;

    private void Run(LivePropagator propagator, NetworkCounters counters, string network)
    {
        _depth++;
        try
        {
            propagator.Dequeued(network);
            if (!propagator.IsPrimitive || !propagator.TryGatherInputs(_local, out var inputs))
            {
                // Its grain reads what was never seen (or builds, or chooses), then queues it again.
                var grain = _grains.GetGrain<IPropagatorGrain>(propagator.Id);
                _tracker.Send(counters, () => grain.Run(network), $"run of {propagator.Id}");
                return;
            }
            if (!Complete(propagator, PropagatorRun.Evaluate(propagator.Implementation, propagator.Spec, inputs, expanded: false), counters, network))
                propagator.Ran(PropagatorStatus.Ran, "");
        }
        catch (Exception error)
        {
            LogRunFailed(error, propagator.Id);
        }
        finally
        {
            _depth--;
            Volatile.Write(ref _lastRun, System.Diagnostics.Stopwatch.GetTimestamp());
            counters.Finish();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cell {CellId} did not wake {PropagatorId}: machine {Machine} is not active")]
    private partial void LogMachineDown(string cellId, string propagatorId, string machine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Propagator {PropagatorId} ({Implementation}) failed: {Detail}")]
    private partial void LogImplementationFailed(Exception? error, string propagatorId, string implementation, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running propagator {PropagatorId} failed in the scheduler")]
    private partial void LogRunFailed(Exception error, string propagatorId);
}

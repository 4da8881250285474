using OrleansSync.Cells;
using OrleansSync.Grains.Machines;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Premises;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Search;

namespace OrleansSync.Grains.Propagators;

/// <summary>
/// A propagator on its machine. While active it is registered with the silo's scheduler, which runs it whenever an
/// input's strongest value changes (<see cref="LocalScheduler"/>); this grain keeps its metadata, attaches and detaches
/// it, and does what the scheduler does not: a compound's one build, an application's, an amb's registration, and
/// reading inputs never seen. Cells never wait on propagators, so cycles cannot deadlock, and they end when merges
/// stop changing anything.
/// </summary>
[GrainType("propagator"), MachinePlacement]
public sealed class PropagatorGrain(
    PropagatorCatalog catalog,
    MachineDirectory machines,
    LocalScheduler scheduler,
    PropagationTracker tracker) : Grain, IPropagatorGrain
{
    public const string StateName = "propagator";

    private GrainRow<PropagatorState> _row = null!;
    private LivePropagator? _live;
    private PropagatorStatus _status = PropagatorStatus.Created;
    private string _detail = "";

    private string Id => this.GetPrimaryKeyString();

    private PropagatorState State => _row.State;

    private PropagatorSpec Spec => State.Spec!;

    private bool Live => State.Spec is not null && State.DisposedAt is null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _row = new GrainRow<PropagatorState>(CellStorage.Of(ServiceProvider), StateName, StateName, Id);
        await _row.ReadAsync();
        if (Live) EnsureLive();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_live is not null) scheduler.Unregister(_live);
        return Task.CompletedTask;
    }

    public async Task<PropagatorInfo> Attach(PropagatorSpec spec)
    {
        Validate(spec);
        if (State.Spec is { } known)
        {
            if (State.DisposedAt is not null) throw new InvalidOperationException($"Propagator '{Id}' was disposed; create a new one.");
            if (!known.SameAs(spec)) throw new InvalidOperationException($"Propagator '{Id}' already exists with a different spec.");
        }
        else
        {
            var page = await Shard(spec.Machine).Register(spec);
            await Write(s =>
            {
                s.Spec = spec;
                s.CreatedAt = DateTimeOffset.UtcNow;
                s.RegistryPage = page;
            });
        }
        await Task.WhenAll(
            Spec.Inputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).AddNeighbor(Id)).Concat(
            Spec.Outputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).AddWriter(Id))));
        if (EnsureLive() is { } live)
        {
            // Runs once now, from what the inputs already hold (the Kelvin case: added later, it computes at once);
            // the caller learns what the run did.
            await ReadInputs(live, everything: true);
            await Run(Spec.Network);
        }
        return Info();
    }

    public Task Wake(Wake wake)
    {
        if (Live && EnsureLive() is { } live && live.Offer(wake.CellId, wake.Stamp, wake.Strongest)) scheduler.Enqueue(live, wake.Network);
        return Task.CompletedTask;
    }

    public async Task CatchUp()
    {
        if (!Live || EnsureLive() is not { } live) return;
        await ReadInputs(live, everything: true);
        scheduler.Enqueue(live, Spec.Network);
    }

    public async Task Run(string network)
    {
        if (!Live || EnsureLive() is not { } live) return;
        await ReadInputs(live, everything: false);
        if (!live.TryGatherInputs(scheduler.Cell, out var inputs)) return;
        var outcome = PropagatorRun.Evaluate(live.Implementation, Spec, inputs, State.Expanded);
        if (scheduler.Complete(live, outcome, tracker.For(network), network)) return;
        switch (outcome)
        {
            case RunOutcome.Expand expand:
                // Children get ids derived from this one, so a second attempt after a failure attaches the same network.
                foreach (var child in expand.Children) await GrainFactory.GetGrain<IPropagatorGrain>(child.Id).Attach(child);
                await Expanded(live, expand.Children);
                live.Ran(PropagatorStatus.Ran, expand.Detail);
                break;
            case RunOutcome.Apply apply:
                await Apply(live, apply.Closure, network);
                break;
            case RunOutcome.Choose choose:
                await Choose(live, choose, network);
                break;
            case RunOutcome.Done done:
                live.Expanded = true;
                live.Ran(PropagatorStatus.Ran, done.Detail);
                break;
        }
    }

    public async Task<PropagatorInfo> Detach()
    {
        if (State.Spec is null) throw new KeyNotFoundException($"There is no propagator '{Id}'.");
        if (State.DisposedAt is not null) return Info();
        foreach (var child in State.Children) await GrainFactory.GetGrain<IPropagatorGrain>(child).Detach();
        await Task.WhenAll(
            Spec.Inputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).RemoveNeighbor(Id)).Concat(
            Spec.Outputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).RemoveWriter(Id))));
        await Shard(Spec.Machine).Unregister(Id, State.RegistryPage >= 0 ? State.RegistryPage : null);
        await Write(s => s.DisposedAt = DateTimeOffset.UtcNow);
        if (_live is not null)
        {
            scheduler.Unregister(_live);
            // What the last run did stays in the propagator's info.
            (_status, _detail) = _live.Current;
            _live = null;
        }
        return Info();
    }

    public async Task<bool> Forget()
    {
        if (State.Spec is null) return true;
        if (State.DisposedAt is null) return false;
        await _row.ClearAsync();
        // A fresh activation starts from no row; this one's storage version no longer matches anything.
        DeactivateOnIdle();
        return true;
    }

    public Task<PropagatorInfo> GetInfo() =>
        State.Spec is null ? throw new KeyNotFoundException($"There is no propagator '{Id}'.") : Task.FromResult(Info());

    private void Validate(PropagatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id != Id) throw new ArgumentException($"Spec id '{spec.Id}' does not match grain '{Id}'.");
        if (spec.Machine != machines.LocalMachine)
            throw new InvalidOperationException($"Propagator '{Id}' belongs to machine '{spec.Machine}' but was activated on '{machines.LocalMachine}'.");
        var implementation = catalog.Find(spec.Implementation)
            ?? throw new ArgumentException($"Machine '{spec.Machine}' has no propagator implementation named '{spec.Implementation}'.");
        if (implementation is AmbPropagator && spec.Arguments.Count == 0) throw new ArgumentException($"amb '{Id}' has no values to choose from.");
        if (implementation is ApplyPropagator && spec.Inputs.Count == 0) throw new ArgumentException($"apply '{Id}' needs the closure cell as its first input.");
        if (spec.Inputs.Concat(spec.Outputs).Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("Cell ids must not be empty.");
        if (spec.Outputs.Count == 0) throw new ArgumentException($"Propagator '{Id}' has no output cell.");
    }

    /// <summary>The scheduler's view of this propagator, registered while it is live and its machine knows its implementation.</summary>
    private LivePropagator? EnsureLive()
    {
        if (_live is not null) return _live;
        if (catalog.Find(Spec.Implementation) is not { } implementation)
        {
            SetStatus(PropagatorStatus.Failed, $"machine '{machines.LocalMachine}' no longer has an implementation named '{Spec.Implementation}'");
            return null;
        }
        _live = new LivePropagator(Spec, implementation, State.Expanded);
        scheduler.Register(_live);
        return _live;
    }

    /// <summary>Reads inputs not held by a cell on this silo: all of them, or only those never seen.</summary>
    private async Task ReadInputs(LivePropagator live, bool everything)
    {
        var unread = everything
            ? Spec.Inputs.Distinct().Where(c => scheduler.Cell(c) is null).ToArray()
            : [.. live.Unseen(scheduler.Cell)];
        if (unread.Length == 0) return;
        var snapshots = await Task.WhenAll(unread.Select(c => GrainFactory.GetGrain<ICellGrain>(c).GetSnapshot()));
        foreach (var s in snapshots) live.Offer(s.Metadata.Id, s.Metadata.Stamp, s.Strongest);
    }

    /// <summary>Builds the closure's body once, when the closure is known and some argument holds information.</summary>
    private async Task Apply(LivePropagator live, Closure closure, string network)
    {
        IReadOnlyList<PropagatorSpec> children;
        CarriedCell environment;
        var application = new ClosureApplication(Spec, closure,
            cell => scheduler.Cell(cell) is { } local ? Task.FromResult(local.Current.Content) : GrainFactory.GetGrain<ICellGrain>(cell).GetContent());
        try
        {
            (children, environment) = await application.BuildAsync();
        }
        catch (ArgumentException error)
        {
            live.Ran(PropagatorStatus.Failed, error.Message);
            return;
        }
        // Stored, not written behind: the application is built once, so nothing would recompute its environment.
        await GrainFactory.GetGrain<ICellGrain>(application.EnvironmentCell).Merge(environment, network);
        foreach (var child in children) await GrainFactory.GetGrain<IPropagatorGrain>(child.Id).Attach(child);
        await Expanded(live, children);
        live.Ran(PropagatorStatus.Ran, $"applied: {children.Count} propagators");
    }

    /// <summary>Registers the choices with their search (which believes one of them) before they reach the cell, once.</summary>
    private async Task Choose(LivePropagator live, RunOutcome.Choose choose, string network)
    {
        if (!State.Expanded)
        {
            await GrainFactory.GetGrain<ISearchGrain>(Id).RegisterAmb(new AmbChoice(Id, choose.Premises, Spec.Outputs[0]), Spec.Network);
            await Write(s => s.Expanded = true);
        }
        // Stored, not written behind: an amb writes its choices once.
        await Task.WhenAll(Spec.Outputs.Select(o => GrainFactory.GetGrain<ICellGrain>(o).Merge(choose.Choices, network)));
        live.Expanded = true;
        live.Ran(PropagatorStatus.Ran, choose.Detail);
    }

    private async Task Expanded(LivePropagator live, IReadOnlyList<PropagatorSpec> children)
    {
        await Write(s =>
        {
            s.Expanded = true;
            s.Children = [.. children.Select(c => c.Id)];
        });
        live.Expanded = true;
    }

    private IMachineShardGrain Shard(string machine) => GrainFactory.GetGrain<IMachineShardGrain>(MachineShards.Key(machine, MachineShards.Of(Id)));

    /// <summary>Applies a change and stores it; on a storage failure nothing changes and the error surfaces.</summary>
    private Task Write(Action<PropagatorState> change)
    {
        var next = State.Copy();
        change(next);
        return _row.WriteAsync(next);
    }

    private void SetStatus(PropagatorStatus status, string detail)
    {
        _status = status;
        _detail = detail;
    }

    private PropagatorInfo Info()
    {
        var (status, detail) = _live?.Current ?? (_status, _detail);
        return new PropagatorInfo(Spec, State.CreatedAt, State.DisposedAt, State.DisposedAt is null ? status : PropagatorStatus.Disposed, detail, _live?.Runs ?? 0);
    }
}

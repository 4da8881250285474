using Microsoft.Extensions.Logging;
using OrleansSync.Cells;
using OrleansSync.Grains.Machines;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Premises;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Propagators;

/// <summary>
/// A propagator on its machine. A run reads its inputs' strongest values, skips when one is nothing or a
/// contradiction, computes with this machine's implementation, and merges the results into the outputs,
/// awaiting only those merges: cells never wait on propagators, so cycles cannot deadlock, and they end
/// when merges stop changing anything.
/// </summary>
[GrainType("propagator"), MachinePlacement]
public sealed partial class PropagatorGrain(
    [PersistentState("propagator", CellStorage.ProviderName)] IPersistentState<PropagatorState> state,
    PropagatorCatalog catalog,
    MachineDirectory machines,
    ILogger<PropagatorGrain> logger) : Grain, IPropagatorGrain
{
    // The newest strongest value seen of each input, from wakes or reads. A value can only be overtaken by
    // a newer one whose wake is on its way, and propagators are monotone, so computing from it is safe.
    private readonly Dictionary<string, (long Version, PartialInfo Strongest)> _inputs = [];
    private PropagatorStatus _status = PropagatorStatus.Created;
    private string _detail = "";
    private long _runs;

    private string Id => this.GetPrimaryKeyString();

    private PropagatorSpec Spec => state.State.Spec!;

    private bool Live => state.State.Spec is not null && state.State.DisposedAt is null;

    public async Task<PropagatorInfo> Attach(PropagatorSpec spec)
    {
        Validate(spec);
        if (state.State.Spec is { } known)
        {
            if (state.State.DisposedAt is not null) throw new InvalidOperationException($"Propagator '{Id}' was disposed; create a new one.");
            if (!known.SameAs(spec)) throw new InvalidOperationException($"Propagator '{Id}' already exists with a different spec.");
        }
        else
        {
            await Write(s =>
            {
                s.Spec = spec;
                s.CreatedAt = DateTimeOffset.UtcNow;
            });
        }
        await Task.WhenAll(spec.Inputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).AddNeighbor(Id)));
        await GrainFactory.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).RegisterPropagator(spec);
        await Run(refresh: true);
        return Info();
    }

    public async Task Wake(string cellId, long version, PartialInfo strongest)
    {
        if (!Live || !Spec.Inputs.Contains(cellId) || Known(cellId) >= version) return;
        _inputs[cellId] = (version, strongest);
        await Run(refresh: false);
    }

    public async Task CatchUp()
    {
        if (Live) await Run(refresh: true);
    }

    private long Known(string cellId) => _inputs.TryGetValue(cellId, out var known) ? known.Version : -1;

    public async Task<PropagatorInfo> Detach()
    {
        if (state.State.Spec is null) throw new KeyNotFoundException($"There is no propagator '{Id}'.");
        if (state.State.DisposedAt is not null) return Info();
        foreach (var child in state.State.Children) await GrainFactory.GetGrain<IPropagatorGrain>(child).Detach();
        await Task.WhenAll(Spec.Inputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).RemoveNeighbor(Id)));
        await GrainFactory.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).UnregisterPropagator(Id);
        await Write(s => s.DisposedAt = DateTimeOffset.UtcNow);
        return Info();
    }

    public async Task<bool> Forget()
    {
        if (state.State.Spec is null) return true;
        if (state.State.DisposedAt is null) return false;
        await state.ClearStateAsync();
        // A fresh activation starts from no row; this one's storage version no longer matches anything.
        DeactivateOnIdle();
        return true;
    }

    public Task<PropagatorInfo> GetInfo() =>
        state.State.Spec is null ? throw new KeyNotFoundException($"There is no propagator '{Id}'.") : Task.FromResult(Info());

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

    /// <summary>Runs once; <paramref name="refresh"/> reads every input, otherwise only inputs never seen.</summary>
    private async Task Run(bool refresh)
    {
        var implementation = catalog.Find(Spec.Implementation);
        if (implementation is null)
        {
            SetStatus(PropagatorStatus.Failed, $"machine '{machines.LocalMachine}' no longer has an implementation named '{Spec.Implementation}'");
            return;
        }
        var unread = Spec.Inputs.Distinct().Where(c => refresh || !_inputs.ContainsKey(c)).ToArray();
        var snapshots = await Task.WhenAll(unread.Select(c => GrainFactory.GetGrain<ICellGrain>(c).GetSnapshot()));
        foreach (var s in snapshots)
            if (s.Metadata.Version > Known(s.Metadata.Id)) _inputs[s.Metadata.Id] = (s.Metadata.Version, s.Strongest);
        var inputs = Spec.Inputs.Select(c => _inputs[c].Strongest).ToArray();
        _runs++;
        switch (implementation)
        {
            case ICompoundPropagator compound:
                await Expand(compound, inputs);
                break;
            case AmbPropagator:
                await Choose();
                break;
            case ApplyPropagator:
                await Apply(inputs);
                break;
            case IPrimitivePropagator primitive:
                await Compute(primitive, inputs);
                break;
            default:
                SetStatus(PropagatorStatus.Failed, $"'{Spec.Implementation}' is neither primitive nor compound");
                break;
        }
    }

    private async Task Compute(IPrimitivePropagator primitive, PartialInfo[] inputs)
    {
        var unusable = primitive.FirstUnusableInput(inputs);
        if (unusable >= 0)
        {
            SetStatus(PropagatorStatus.WaitingForInputs, $"input '{Spec.Inputs[unusable]}' is {(inputs[unusable].IsNothing ? "nothing" : "a contradiction")}");
            return;
        }
        IReadOnlyList<PartialInfo> outputs;
        try
        {
            outputs = primitive.Compute(inputs, Spec.Arguments, Spec.Outputs.Count);
            if (outputs.Count != Spec.Outputs.Count) throw new InvalidOperationException($"returned {outputs.Count} values for {Spec.Outputs.Count} outputs");
        }
        catch (Exception error)
        {
            LogImplementationFailed(error, Id, Spec.Implementation);
            SetStatus(PropagatorStatus.Failed, error.Message);
            return;
        }
        await Task.WhenAll(outputs.Select((value, i) => value.IsNothing ? Task.CompletedTask : GrainFactory.GetGrain<ICellGrain>(Spec.Outputs[i]).Merge(value)));
        SetStatus(PropagatorStatus.Ran, "");
    }

    /// <summary>Builds the sub-network once, when some input holds information (MIT's delayed blueprint).</summary>
    private async Task Expand(ICompoundPropagator compound, PartialInfo[] inputs)
    {
        if (state.State.Expanded)
        {
            SetStatus(PropagatorStatus.Ran, $"expanded into {state.State.Children.Count} propagators");
            return;
        }
        if (!PropagatorRules.ReadyToExpand(inputs))
        {
            SetStatus(PropagatorStatus.WaitingForInputs, "every input is nothing; not expanded yet");
            return;
        }
        var builder = new SubnetBuilder(Spec);
        try
        {
            compound.Build(builder);
        }
        catch (Exception error)
        {
            LogImplementationFailed(error, Id, Spec.Implementation);
            SetStatus(PropagatorStatus.Failed, error.Message);
            return;
        }
        // Children get ids derived from this one, so a second attempt after a failure attaches the same network.
        foreach (var child in builder.Children) await GrainFactory.GetGrain<IPropagatorGrain>(child.Id).Attach(child);
        await Write(s =>
        {
            s.Expanded = true;
            s.Children = [.. builder.Children.Select(c => c.Id)];
        });
        SetStatus(PropagatorStatus.Ran, $"expanded into {builder.Children.Count} propagators");
    }

    /// <summary>Builds the closure's body once, when the closure is known and some argument holds information.</summary>
    private async Task Apply(PartialInfo[] inputs)
    {
        if (state.State.Expanded)
        {
            SetStatus(PropagatorStatus.Ran, $"applied: {state.State.Children.Count} propagators");
            return;
        }
        if (inputs[0] is not Closure closure)
        {
            SetStatus(PropagatorStatus.WaitingForInputs, $"closure cell '{Spec.Inputs[0]}' holds {(inputs[0].IsNothing ? "nothing" : inputs[0].IsContradiction ? "a contradiction" : "no closure")}");
            return;
        }
        if (!PropagatorRules.ReadyToExpand(inputs[1..]))
        {
            SetStatus(PropagatorStatus.WaitingForInputs, "every argument is nothing; not applied yet");
            return;
        }
        IReadOnlyList<PropagatorSpec> children;
        CarriedCell environment;
        var application = new ClosureApplication(Spec, closure, cell => GrainFactory.GetGrain<ICellGrain>(cell).GetContent());
        try
        {
            (children, environment) = await application.BuildAsync();
        }
        catch (ArgumentException error)
        {
            SetStatus(PropagatorStatus.Failed, error.Message);
            return;
        }
        await GrainFactory.GetGrain<ICellGrain>(application.EnvironmentCell).Merge(environment);
        foreach (var child in children) await GrainFactory.GetGrain<IPropagatorGrain>(child.Id).Attach(child);
        await Write(s =>
        {
            s.Expanded = true;
            s.Children = [.. children.Select(c => c.Id)];
        });
        SetStatus(PropagatorStatus.Ran, $"applied: {children.Count} propagators");
    }

    /// <summary>Registers the choices with the worldview (which believes one of them) before they reach the cell.</summary>
    private async Task Choose()
    {
        if (!state.State.Expanded)
        {
            var premises = Enumerable.Range(0, Spec.Arguments.Count).Select(i => AmbPropagator.Hypothetical(Id, i)).ToArray();
            await GrainFactory.GetGrain<IWorldviewGrain>(IWorldviewGrain.Key).RegisterAmb(Id, premises);
            await Write(s => s.Expanded = true);
        }
        var choices = AmbPropagator.Choices(Id, Spec.Arguments);
        await Task.WhenAll(Spec.Outputs.Select(o => GrainFactory.GetGrain<ICellGrain>(o).Merge(choices)));
        SetStatus(PropagatorStatus.Ran, $"{Spec.Arguments.Count} choices");
    }

    /// <summary>Applies a change and stores it; on a storage failure the change is undone and the error surfaces.</summary>
    private Task Write(Action<PropagatorState> change)
    {
        var s = state.State;
        var previous = new PropagatorState { Spec = s.Spec, CreatedAt = s.CreatedAt, DisposedAt = s.DisposedAt, Expanded = s.Expanded, Children = [.. s.Children] };
        change(s);
        return state.WriteOrRestoreAsync(previous);
    }

    private void SetStatus(PropagatorStatus status, string detail)
    {
        _status = status;
        _detail = detail;
    }

    private PropagatorInfo Info() => new(Spec, state.State.CreatedAt, state.State.DisposedAt,
        state.State.DisposedAt is null ? _status : PropagatorStatus.Disposed, _detail, _runs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Propagator {PropagatorId} ({Implementation}) failed")]
    private partial void LogImplementationFailed(Exception error, string propagatorId, string implementation);
}

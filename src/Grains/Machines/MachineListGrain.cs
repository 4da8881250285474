using OrleansSync.Grains.Storage;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Machines;

[GenerateSerializer, Alias("os.machine-list-state")]
public sealed class MachineListState
{
    [Id(0)] public int Pages { get; set; }
}

/// <summary>The ids of every machine that registered, in pages; written only when a machine appears.</summary>
[GrainType("machine-list")]
public sealed class MachineListGrain : Grain, IMachineListGrain
{
    private GrainRow<MachineListState> _row = null!;
    private PagedRows<string> _ids = null!;
    private IReadOnlyList<string> _all = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = CellStorage.Of(ServiceProvider);
        _row = new GrainRow<MachineListState>(storage, "machine-list", "machine-list", this.GetPrimaryKeyString());
        await _row.ReadAsync();
        _ids = new PagedRows<string>(storage, "machine-list-page", "machine-list", this.GetPrimaryKeyString(), 512, id => id);
        _ids.Open(_row.State.Pages);
        _all = [.. (await _ids.LoadAllAsync()).Order(StringComparer.Ordinal)];
    }

    public async Task Add(string machineId)
    {
        if (_ids.Contains(machineId)) return;
        await _ids.AddAsync(machineId, pages => _row.WriteAsync(new MachineListState { Pages = pages }));
        _all = [.. _all.Append(machineId).Order(StringComparer.Ordinal)];
    }

    public Task<IReadOnlyList<string>> GetAll() => Task.FromResult(_all);
}

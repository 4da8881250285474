using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Cells;
using OrleansSync.Gun;
using OrleansSync.GunGateway.Hosting;
using OrleansSync.GunGateway.Protocol;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;
using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// The propagator network as Gun peers see it, under <c>sync/</c> (docs/GUN_SCHEMA.md):
/// <c>sync/cells/{id}</c> (metadata, strongest value, a link to the content node), read from the cell grain
/// and pushed on every change of the strongest value; <c>sync/cells/{id}/content</c>, an ordinary Gun node
/// where each peer writes its own key, each value an encoded increment that is merged into the cell;
/// <c>sync/machines/{id}</c> and <c>sync/propagators/{machine}/{id}</c>, read from the machine registry, and
/// written by machines outside the cluster to register; <c>sync/cell_propagator_map/{id}</c>. Everything
/// else under <c>sync/</c> is read-only.
/// </summary>
public sealed partial class SyncNamespace : IAsyncDisposable
{
    private const string Cells = SyncAddress.Cells;
    private const string CarriedCells = SyncAddress.CarriedCells;
    private const string ContentSuffix = SyncAddress.ContentSuffix;
    private const string ChildrenSuffix = SyncAddress.ChildrenSuffix;
    private const int MachinePropagatorSample = 100;
    /// <summary>At most this many propagators in a machine's listing (<c>sync/propagators/{machine}</c>): one node must stay small.</summary>
    public const int ListingLimit = 500;

    private readonly IGrainFactory _grains;
    private readonly PartialInfoCodec _codec = PartialInfoCodec.Default;
    private readonly ILogger<SyncNamespace> _logger;
    private readonly CellSubscriber _subscriber;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<GunPeer, byte>> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _states = new(StringComparer.Ordinal);
    private readonly SyncListings _listings;

    public SyncNamespace(IGrainFactory grains, IOptions<GatewayOptions> options, ILogger<SyncNamespace> logger)
    {
        _grains = grains;
        _logger = logger;
        _listings = new SyncListings(this, options.Value.ListingRefresh, logger);
        _subscriber = new CellSubscriber(grains, OnCellChanged, onRenewalError: (cell, error) => LogRenewFailed(error, cell));
    }

    private IMachineRegistryGrain Registry => _grains.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);

    /// <summary>Answers a get for a built node; a cell subscribes the peer to its changes.</summary>
    public async Task<GunNodeDelta?> Get(GunPeer peer, string soul)
    {
        var address = SyncAddress.Parse(soul);
        if (address.Kind == SyncKind.Cell)
        {
            var cellId = address.Id;
            peer.WatchedCells.TryAdd(cellId, 0);
            bool closed;
            lock (_watchers)
            {
                var watchers = _watchers.GetOrAdd(cellId, _ => new());
                watchers.TryAdd(peer, 0);
                // After its disconnect (Drop), a late get must not leave the closed peer watching: nobody is there to answer.
                closed = peer.Closed;
                if (closed && watchers.TryRemove(peer, out _) && watchers.IsEmpty) _watchers.TryRemove(cellId, out _);
            }
            if (closed) return null;
            // Subscribing again only renews the lease, and answers with the snapshot either way.
            var snapshot = await _subscriber.SubscribeAsync(cellId);
            return snapshot.Metadata.Version == 0 && snapshot.Metadata.Name.Length == 0 ? null : CellNode(snapshot);
        }
        var node = await Build(soul, address);
        if (address.IsRefreshed) _listings.Watch(peer, soul, node);
        return node;
    }

    /// <summary>A node built from grains (anything under sync/ but cells, which are followed by subscription).</summary>
    public async Task<GunNodeDelta?> Build(string soul, SyncAddress address)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        switch (address.Kind)
        {
            case SyncKind.MachineList:
                return Links(soul, now, (await Registry.GetMachines()).Select(m => (m.Id, SyncAddress.Machines + m.Id)));
            case SyncKind.PropagatorList:
                return Links(soul, now, (await Registry.GetMachines()).Select(m => (m.Id, SyncAddress.Propagators + m.Id)));
            case SyncKind.MachinePropagators:
                if (address.Id.Length == 0) return null;
                return Links(soul, now, (await Registry.GetPropagators(address.Id, ListingLimit)).Select(p => (p.Id, SyncAddress.Propagators + p.Id)));
            case SyncKind.CellList:
                var shards = await Task.WhenAll(Enumerable.Range(0, ICellDirectoryGrain.Shards).Select(s => _grains.GetGrain<ICellDirectoryGrain>(s).List()));
                return Links(soul, now, shards.SelectMany(ids => ids).Select(id => (id, Cells + id)));
        }
        if (address.Kind == SyncKind.Machine)
        {
            var machine = await Registry.GetMachine(address.Id);
            if (machine is null) return null;
            // A bounded sample: a machine may run far more propagators than one node should carry.
            var propagators = await Registry.GetPropagators(machine.Id, MachinePropagatorSample);
            return Node(soul, now, new()
            {
                ["id"] = Text(machine.Id), ["name"] = Text(machine.Name), ["kind"] = Text(machine.Kind.ToString().ToLowerInvariant()),
                ["connectedAt"] = Number(machine.ConnectedAt.ToUnixTimeMilliseconds()), ["lastSeen"] = Number(machine.LastSeen.ToUnixTimeMilliseconds()),
                ["active"] = machine.Active ? "true" : "false",
                ["propagatorCount"] = Number(machine.PropagatorCount),
                ["propagators"] = Text(JsonSerializer.Serialize(propagators.Select(p => p.Id))),
            });
        }
        if (address.Kind == SyncKind.Propagator)
        {
            var id = address.Id;
            var slash = id.IndexOf('/');
            if (slash <= 0) return null;
            var spec = await Registry.GetPropagator(id);
            return spec is null ? null : Node(soul, now, new()
            {
                ["id"] = Text(spec.Id), ["name"] = Text(spec.Implementation), ["machine"] = Text(spec.Machine),
                ["inputs"] = Text(JsonSerializer.Serialize(spec.Inputs)), ["outputs"] = Text(JsonSerializer.Serialize(spec.Outputs)),
            });
        }
        if (address.Kind == SyncKind.CellMap)
        {
            var map = await Registry.GetCellPropagators(address.Id);
            return map.Count == 0 ? null : Node(soul, now, map.ToDictionary(m => m.Key, m => Text(JsonSerializer.Serialize(m.Value))));
        }
        if (address.Kind is SyncKind.CarriedCell or SyncKind.CarriedChildren) return await CarriedNode(soul, address);
        if (address.Kind == SyncKind.Closure) return await ClosureNode(soul, address.Id);
        return null;
    }

    /// <summary>
    /// A carried cell as nodes of links: <c>sync/carried_cells/{id}</c> (structure, version, a link to its
    /// children) and <c>…/children</c>, each key a link to the child's <c>sync/cells/</c> node, loaded on demand.
    /// </summary>
    private async Task<GunNodeDelta?> CarriedNode(string soul, SyncAddress address)
    {
        var children = address.Kind == SyncKind.CarriedChildren;
        var cellId = address.Id;
        if (cellId.Length == 0) return null;
        var snapshot = await _grains.GetGrain<ICellGrain>(cellId).GetSnapshot();
        if (snapshot.Content is not CarriedCell carried) return null;
        var state = snapshot.Metadata.UpdatedAt.ToUnixTimeMilliseconds();
        if (children) return Node(soul, state, carried.Bindings.ToDictionary(b => b.Key, b => GunValues.Link(Cells + b.Cells[0])));
        return Node(soul, state, new()
        {
            ["id"] = Text(cellId), ["type"] = Text("carried"),
            ["structure"] = Text(carried.Structure == CarriedStructure.List ? "list" : "map"),
            ["version"] = Number(snapshot.Metadata.Version),
            ["children"] = GunValues.Link(CarriedCells + cellId + ChildrenSuffix),
            ["cell"] = GunValues.Link(Cells + cellId),
        });
    }

    /// <summary>A closure: its name, parameters and body (JSON text), and a link to its environment's carried-cell node.</summary>
    private async Task<GunNodeDelta?> ClosureNode(string soul, string cellId)
    {
        if (cellId.Length == 0) return null;
        var snapshot = await _grains.GetGrain<ICellGrain>(cellId).GetSnapshot();
        if (snapshot.Content is not Closure closure) return null;
        var body = _codec.ToJson(closure);
        using var document = JsonDocument.Parse(body);
        return Node(soul, snapshot.Metadata.UpdatedAt.ToUnixTimeMilliseconds(), new()
        {
            ["id"] = Text(cellId), ["type"] = Text("closure"), ["name"] = Text(closure.Name),
            ["inputs"] = Text(JsonSerializer.Serialize(closure.Inputs)), ["outputs"] = Text(JsonSerializer.Serialize(closure.Outputs)),
            ["body"] = Text(document.RootElement.GetProperty("body").GetRawText()),
            ["env"] = GunValues.Link(CarriedCells + closure.Environment),
            ["environments"] = Text(JsonSerializer.Serialize(closure.Environments)),
            ["cell"] = GunValues.Link(Cells + cellId),
        });
    }

    /// <summary>
    /// Checks (and carries out) a write under sync/ before it is stored: contributions are decoded and merged
    /// into their cell, registrations of outside machines and their propagators go to the registry. Returns
    /// an error for anything else, or for a value that does not decode; then nothing of the put is applied.
    /// </summary>
    public async Task<string?> Accept(IReadOnlyList<GunNodeDelta> nodes)
    {
        var contributions = new List<(string Cell, PartialInfo Increment)>();
        var registrations = new List<Func<Task>>();
        foreach (var node in nodes)
        {
            var address = SyncAddress.Parse(node.Soul);
            if (!address.IsSync) continue;
            if (address.Kind == SyncKind.CellContent)
            {
                var cellId = address.Id;
                foreach (var (key, field) in node.Fields)
                {
                    if (field.Value == GunValues.Null) continue; // a contributor withdrawing its key; the cell keeps what it learned
                    if (!TryDecode(field.Value, out var increment, out var error)) return $"Bad increment at '{node.Soul}.{key}': {error}";
                    contributions.Add((cellId, increment!));
                }
            }
            else if (address.Kind == SyncKind.Machine)
            {
                var error = await MachineRegistration(node, address.Id, registrations);
                if (error is not null) return error;
            }
            else if (address.Kind == SyncKind.Propagator)
            {
                var error = PropagatorRegistration(node, address.Id, registrations);
                if (error is not null) return error;
            }
            else
            {
                return $"'{node.Soul}' is read-only: under sync/ peers write only cells' content nodes, sync/machines/{{id}} and sync/propagators/{{machine}}/{{id}}.";
            }
        }
        await Task.WhenAll(contributions.Select(c => _grains.GetGrain<ICellGrain>(c.Cell).Merge(c.Increment)));
        foreach (var register in registrations) await register();
        return null;
    }

    /// <summary>A connection closed: cells nobody here watches any more are unsubscribed, so renewals do not pile up.</summary>
    public void Drop(GunPeer peer)
    {
        var unwatched = new List<string>();
        lock (_watchers)
        {
            // Only the cells this peer watched: a disconnect costs what the peer did, not what the gateway holds.
            foreach (var cellId in peer.WatchedCells.Keys)
            {
                if (!_watchers.TryGetValue(cellId, out var watchers) || !watchers.TryRemove(peer, out _) || !watchers.IsEmpty) continue;
                _watchers.TryRemove(cellId, out _);
                unwatched.Add(cellId);
            }
        }
        foreach (var cellId in unwatched) _ = Unsubscribe(cellId);
        _listings.Drop(peer);
    }

    private async Task Unsubscribe(string cellId)
    {
        try
        {
            // A peer may ask for the cell again meanwhile: then it keeps (or gets back) the subscription.
            if (_watchers.ContainsKey(cellId)) return;
            await _subscriber.UnsubscribeAsync(cellId);
            if (_watchers.ContainsKey(cellId)) await _subscriber.SubscribeAsync(cellId);
        }
        catch (Exception error)
        {
            LogUnsubscribeFailed(error, cellId);
        }
    }

    /// <summary>Cells the gateway is subscribed to on behalf of its connections.</summary>
    public IReadOnlyCollection<string> SubscribedCells => _subscriber.Cells;

    private async Task<string?> MachineRegistration(GunNodeDelta node, string id, List<Func<Task>> registrations)
    {
        try
        {
            MachineIds.Validate(id);
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
        if (await Registry.GetMachine(id) is { Kind: MachineKind.Cluster }) return $"Machine '{id}' is a silo of the cluster; it cannot be registered from outside.";
        var name = node.Fields.TryGetValue("name", out var n) ? ReadText(n.Value) : id;
        if (name is null) return $"'{node.Soul}.name' must be a string.";
        registrations.Add(() => Registry.Heartbeat(id, name, MachineKind.External));
        return null;
    }

    private string? PropagatorRegistration(GunNodeDelta node, string id, List<Func<Task>> registrations)
    {
        string machine;
        try
        {
            machine = PropagatorIds.MachineOf(id);
        }
        catch (ArgumentException error)
        {
            return error.Message;
        }
        string[]? Cells(string key) => node.Fields.TryGetValue(key, out var f) && ReadText(f.Value) is { } json ? TryArray(json) : null;
        var name = node.Fields.TryGetValue("name", out var n) ? ReadText(n.Value) : null;
        var inputs = Cells("inputs");
        var outputs = Cells("outputs");
        if (name is null || inputs is null || outputs is null)
            return $"'{node.Soul}' needs name (a string) and inputs and outputs (JSON arrays of cell ids, as strings).";
        registrations.Add(async () =>
        {
            if (await Registry.GetMachine(machine) is not { Kind: MachineKind.External })
                throw new InvalidOperationException($"Machine '{machine}' must register under sync/machines/ first.");
            await Registry.RegisterPropagator(new PropagatorSpec(id, name, inputs, outputs, []));
        });
        return null;
    }

    private bool TryDecode(string value, out PartialInfo? increment, out string? error)
    {
        increment = null;
        error = null;
        if (ReadText(value) is not { } json)
        {
            error = "an increment is a string holding its JSON encoding (docs/GUN_SCHEMA.md)";
            return false;
        }
        try
        {
            increment = _codec.FromJson(json);
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            error = e.Message;
            return false;
        }
    }

    private Task OnCellChanged(CellChange change)
    {
        if (!_watchers.TryGetValue(change.CellId, out var watchers) || watchers.IsEmpty) return Task.CompletedTask;
        var soul = Cells + change.CellId;
        var node = Node(soul, State(change.CellId, change.UpdatedAt), new()
        {
            ["version"] = Number(change.Version),
            ["updatedAt"] = Number(change.UpdatedAt.ToUnixTimeMilliseconds()),
            ["strongest"] = Text(_codec.ToJson(change.Strongest)),
        });
        var frame = GunReplies.Push(GunIds.New(), node);
        foreach (var peer in watchers.Keys) peer.Send(frame);
        return Task.CompletedTask;
    }

    private GunNodeDelta CellNode(CellSnapshot snapshot)
    {
        var m = snapshot.Metadata;
        return Node(Cells + m.Id, State(m.Id, m.UpdatedAt), new()
        {
            ["id"] = Text(m.Id), ["name"] = Text(m.Name), ["type"] = Text(m.Kind.ToString().ToLowerInvariant()),
            ["version"] = Number(m.Version), ["createdAt"] = Number(m.CreatedAt.ToUnixTimeMilliseconds()),
            ["updatedAt"] = Number(m.UpdatedAt.ToUnixTimeMilliseconds()),
            ["strongest"] = Text(_codec.ToJson(snapshot.Strongest)),
            ["content"] = GunValues.Link(Cells + m.Id + ContentSuffix),
        });
    }

    /// <summary>HAM states for a cell's node: its update time, strictly increasing so every change wins at the peers.</summary>
    private double State(string cellId, DateTimeOffset updatedAt) =>
        _states.AddOrUpdate(cellId, updatedAt.ToUnixTimeMilliseconds(), (_, last) => Math.Max(last + 0.001, updatedAt.ToUnixTimeMilliseconds()));

    private static GunNodeDelta Node(string soul, double state, Dictionary<string, string> values) =>
        new(soul, values.ToDictionary(v => v.Key, v => new GunField(v.Value, state)));

    /// <summary>A listing: one key per id, each a link (what <c>.map()</c> in a Gun app walks).</summary>
    private static GunNodeDelta Links(string soul, double state, IEnumerable<(string Key, string Soul)> links)
    {
        var fields = new Dictionary<string, GunField>(StringComparer.Ordinal);
        foreach (var (key, target) in links) fields[key] = new GunField(GunValues.Link(target), state);
        return new GunNodeDelta(soul, fields);
    }

    private static string Text(string text) => GunValues.Text(text);

    private static string Number(double value) => JsonSerializer.Serialize(value);

    private static string? ReadText(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : null;
    }

    private static string[]? TryArray(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) is { } cells && cells.All(c => !string.IsNullOrWhiteSpace(c)) ? cells : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _listings.DisposeAsync();
        await _subscriber.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribing the gateway from cell {CellId} failed; its lease will run out")]
    private partial void LogUnsubscribeFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the gateway's subscription to cell {CellId} failed")]
    private partial void LogRenewFailed(Exception error, string cellId);
}

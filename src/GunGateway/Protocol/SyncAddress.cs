namespace OrleansSync.GunGateway.Protocol;

/// <summary>What a soul names under <c>sync/</c> (docs/GUN_SCHEMA.md).</summary>
public enum SyncKind
{
    /// <summary>Not under <c>sync/</c>: an ordinary Gun node.</summary>
    NotSync,
    /// <summary><c>sync/cells/{id}</c>: a cell's metadata and strongest value.</summary>
    Cell,
    /// <summary><c>sync/cells/{id}/content</c>: contributions to a cell, an ordinary stored Gun node.</summary>
    CellContent,
    /// <summary><c>sync/machines/{id}</c>.</summary>
    Machine,
    /// <summary><c>sync/propagators/{machine}/{id}</c>.</summary>
    Propagator,
    /// <summary><c>sync/cell_propagator_map/{id}</c>.</summary>
    CellMap,
    /// <summary><c>sync/carried_cells/{id}</c>.</summary>
    CarriedCell,
    /// <summary><c>sync/carried_cells/{id}/children</c>.</summary>
    CarriedChildren,
    /// <summary><c>sync/closures/{id}</c>.</summary>
    Closure,
    /// <summary><c>sync/machines</c>: every machine's id, a link to its node.</summary>
    MachineList,
    /// <summary><c>sync/propagators</c>: every machine's id, a link to its propagator listing.</summary>
    PropagatorList,
    /// <summary><c>sync/propagators/{machine}</c>: a bounded listing of the machine's propagators.</summary>
    MachinePropagators,
    /// <summary><c>sync/cells</c>: a bounded listing of recently created cells.</summary>
    CellList,
    /// <summary>Anything else under <c>sync/</c> (read-only, empty).</summary>
    Other,
}

/// <summary>A soul parsed once into what it names under <c>sync/</c> and the id in it.</summary>
public readonly record struct SyncAddress(SyncKind Kind, string Id)
{
    public const string Prefix = "sync/";
    public const string Cells = "sync/cells/";
    public const string Machines = "sync/machines/";
    public const string Propagators = "sync/propagators/";
    public const string CellMap = "sync/cell_propagator_map/";
    public const string CarriedCells = "sync/carried_cells/";
    public const string Closures = "sync/closures/";
    public const string ContentSuffix = "/content";
    public const string ChildrenSuffix = "/children";

    public bool IsSync => Kind != SyncKind.NotSync;

    /// <summary>Built from grains and refreshed for the peers that read it (listings and machine nodes change without a write).</summary>
    public bool IsRefreshed => Kind is SyncKind.MachineList or SyncKind.PropagatorList or SyncKind.MachinePropagators or SyncKind.CellList or SyncKind.Machine;

    /// <summary>Content nodes are ordinary Gun nodes (stored by soul grains); the rest of <c>sync/</c> is built from grains.</summary>
    public bool IsStoredAsGunNode => Kind == SyncKind.CellContent;

    public static SyncAddress Parse(string soul)
    {
        if (!soul.StartsWith(Prefix, StringComparison.Ordinal)) return new(SyncKind.NotSync, "");
        switch (soul)
        {
            case "sync/machines": return new(SyncKind.MachineList, "");
            case "sync/propagators": return new(SyncKind.PropagatorList, "");
            case "sync/cells": return new(SyncKind.CellList, "");
        }
        if (soul.StartsWith(Cells, StringComparison.Ordinal))
            return Inner(soul, Cells, ContentSuffix) is { } cell ? new(SyncKind.CellContent, cell) : new(SyncKind.Cell, soul[Cells.Length..]);
        if (soul.StartsWith(Machines, StringComparison.Ordinal)) return new(SyncKind.Machine, soul[Machines.Length..]);
        if (soul.StartsWith(Propagators, StringComparison.Ordinal))
        {
            var id = soul[Propagators.Length..];
            return new(id.Contains('/') ? SyncKind.Propagator : SyncKind.MachinePropagators, id);
        }
        if (soul.StartsWith(CellMap, StringComparison.Ordinal)) return new(SyncKind.CellMap, soul[CellMap.Length..]);
        if (soul.StartsWith(CarriedCells, StringComparison.Ordinal))
            return Inner(soul, CarriedCells, ChildrenSuffix) is { } carried ? new(SyncKind.CarriedChildren, carried) : new(SyncKind.CarriedCell, soul[CarriedCells.Length..]);
        if (soul.StartsWith(Closures, StringComparison.Ordinal)) return new(SyncKind.Closure, soul[Closures.Length..]);
        return new(SyncKind.Other, "");
    }

    /// <summary>The non-empty id between <paramref name="prefix"/> and <paramref name="suffix"/>, or null.</summary>
    private static string? Inner(string soul, string prefix, string suffix) =>
        soul.EndsWith(suffix, StringComparison.Ordinal) && soul.Length > prefix.Length + suffix.Length ? soul[prefix.Length..^suffix.Length] : null;
}

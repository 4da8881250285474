using System.Text.Json.Nodes;
using OrleansSync.Cells;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Output;

namespace OrleansSync.Cli.Commands;

/// <summary>What <c>sync/cells</c> lists to Gun apps: the cell directory's shards, each its newest cells. A bound, not an index.</summary>
public sealed class CellsListCommand : ClusterCommand<ConnectionSettings>
{
    protected override async Task<int> RunAsync(IClusterClient client, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ICellDirectoryGrain.Shards).Select(s => client.GetGrain<ICellDirectoryGrain>(s).List()));
        var cells = shards.SelectMany(s => s).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject { ["cells"] = JsonOutput.Strings(cells) });
            return ExitCodes.Ok;
        }
        foreach (var cell in cells) Console.Out.WriteLine(cell);
        Console.Error.WriteLine($"{cells.Count} recently created cells (at most {ICellDirectoryGrain.Shards * ICellDirectoryGrain.PerShard} are listed; any cell can be read by id)");
        return ExitCodes.Ok;
    }
}

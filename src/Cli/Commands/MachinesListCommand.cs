using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Output;
using OrleansSync.Machines;

namespace OrleansSync.Cli.Commands;

public sealed class MachinesListCommand : ClusterCommand<ConnectionSettings>
{
    protected override async Task<int> RunAsync(IClusterClient client, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var machines = (await client.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).GetMachines()).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject
            {
                ["machines"] = new JsonArray([.. machines.Select(m => (JsonNode)new JsonObject
                {
                    ["id"] = m.Id,
                    ["name"] = m.Name,
                    ["kind"] = m.Kind.ToString(),
                    ["active"] = m.Active,
                    ["connectedAt"] = m.ConnectedAt,
                    ["lastSeen"] = m.LastSeen,
                    ["propagators"] = m.PropagatorCount,
                })]),
            });
            return ExitCodes.Ok;
        }
        if (machines.Count == 0)
        {
            Console.Out.WriteLine("No machine has registered yet.");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("machine", "name", "kind", "state", "last seen", "propagators");
        foreach (var m in machines)
        {
            table.AddRow(
                new Text(m.Id),
                new Text(m.Name),
                new Text(m.Kind == MachineKind.Cluster ? "silo" : "external"),
                new Markup(m.Active ? "[green]active[/]" : "[red]inactive[/]"),
                new Text(m.LastSeen.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                new Text(m.PropagatorCount.ToString(CultureInfo.InvariantCulture)).RightJustified());
        }
        Out.Write(table);
        return ExitCodes.Ok;
    }
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Output;
using OrleansSync.Machines;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Cli.Commands;

/// <summary>The registry's propagators per machine, at most <c>--limit</c> each: the listing costs what it prints.</summary>
public sealed class PropagatorsListCommand : ClusterCommand<PropagatorsListCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("-m|--machine <MACHINE>")]
        [Description("Only this machine's propagators.")]
        public string? Machine { get; set; }

        [CommandOption("--limit <N>")]
        [Description("At most N propagators per machine (default 1000).")]
        public int Limit { get; set; } = 1000;

        [CommandOption("--status")]
        [Description("Also ask each propagator what it last did (one call to its machine per propagator).")]
        public bool Status { get; set; }
    }

    protected override void Validate(Settings settings)
    {
        if (settings.Limit <= 0) throw new UsageException("--limit must be at least 1.");
    }

    protected override async Task<int> RunAsync(IClusterClient client, Settings settings, CancellationToken cancellationToken)
    {
        var registry = client.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);
        var machines = settings.Machine is { } only
            ? [await registry.GetMachine(only) ?? throw new UsageException($"No machine '{only}' has registered.")]
            : (await registry.GetMachines()).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var network = new PropagatorNetwork(client);
        var rows = new List<(PropagatorSpec Spec, PropagatorInfo? Info)>();
        var truncated = new List<MachineInfo>();
        foreach (var machine in machines)
        {
            var specs = await registry.GetPropagators(machine.Id, settings.Limit);
            if (machine.PropagatorCount > specs.Count) truncated.Add(machine);
            foreach (var spec in specs.OrderBy(s => s.Id, StringComparer.Ordinal))
                rows.Add((spec, settings.Status ? await network.Status(spec.Id) : null));
        }
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject
            {
                ["propagators"] = new JsonArray([.. rows.Select(r => (JsonNode)Json(r.Spec, r.Info))]),
                ["truncated"] = JsonOutput.Strings(truncated.Select(m => m.Id)),
            });
            return ExitCodes.Ok;
        }
        if (rows.Count == 0)
        {
            Console.Out.WriteLine(settings.Machine is null ? "No propagators are registered." : $"Machine '{settings.Machine}' has no propagators.");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("propagator", "machine", "implementation", "inputs", "outputs", "network");
        if (settings.Status) table.AddColumns("status", "runs");
        foreach (var (spec, info) in rows)
        {
            List<IRenderable> cells =
            [
                new Text(spec.Id), new Text(spec.Machine), new Text(spec.Implementation),
                new Text(string.Join(", ", spec.Inputs)), new Text(string.Join(", ", spec.Outputs)), new Text(spec.Network.Length == 0 ? "(default)" : spec.Network),
            ];
            if (info is not null)
            {
                cells.Add(new Text(info.Status.ToString()));
                cells.Add(new Text(info.Runs.ToString(CultureInfo.InvariantCulture)).RightJustified());
            }
            table.AddRow(cells);
        }
        Out.Write(table);
        foreach (var machine in truncated)
            Console.Error.WriteLine($"machine {machine.Id}: {settings.Limit} of {machine.PropagatorCount} propagators shown (--limit)");
        return ExitCodes.Ok;
    }

    private static JsonObject Json(PropagatorSpec spec, PropagatorInfo? info)
    {
        var json = new JsonObject
        {
            ["id"] = spec.Id,
            ["machine"] = spec.Machine,
            ["implementation"] = spec.Implementation,
            ["inputs"] = JsonOutput.Strings(spec.Inputs),
            ["outputs"] = JsonOutput.Strings(spec.Outputs),
            ["network"] = spec.Network,
        };
        if (info is not null)
        {
            json["status"] = info.Status.ToString();
            json["detail"] = info.Detail;
            json["runs"] = info.Runs;
        }
        return json;
    }
}

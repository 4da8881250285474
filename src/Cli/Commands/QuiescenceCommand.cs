using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console.Cli;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Input;
using OrleansSync.Cli.Output;
using OrleansSync.Propagators;

namespace OrleansSync.Cli.Commands;

/// <summary>Waits for a network's quiescence (<see cref="Quiescence"/>): exit 0 when quiescent, <see cref="ExitCodes.Timeout"/> when not in time.</summary>
public sealed class QuiescenceCommand : ClusterCommand<QuiescenceCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("-n|--network <NETWORK>")]
        [Description("The network to wait for; default the default network.")]
        public string Network { get; set; } = "";

        [CommandOption("-t|--timeout <DURATION>")]
        [Description("How long to wait (default 30s).")]
        public string Timeout { get; set; } = "30s";

        [CommandOption("--durable")]
        [Description("Also wait until every derived change is stored.")]
        public bool Durable { get; set; }
    }

    private TimeSpan _timeout;

    protected override void Validate(Settings settings) => _timeout = Durations.Parse(settings.Timeout, "--timeout");

    protected override async Task<int> RunAsync(IClusterClient client, Settings settings, CancellationToken cancellationToken)
    {
        var report = await new PropagatorNetwork(client, settings.Network).WaitForQuiescence(_timeout, settings.Durable, cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject
            {
                ["network"] = report.Network,
                ["waitedMs"] = report.Waited.TotalMilliseconds,
                ["machines"] = new JsonArray([.. report.Counters.Select(c => (JsonNode)new JsonObject
                {
                    ["machine"] = c.Machine, ["started"] = c.Started, ["finished"] = c.Finished,
                })]),
                ["contradictions"] = new JsonArray([.. report.Contradictions.Select(c => (JsonNode)new JsonObject
                {
                    ["source"] = c.Source, ["reason"] = c.Reason, ["nogood"] = JsonOutput.Strings(c.Nogood.Items), ["unresolvable"] = c.Unresolvable,
                })]),
                ["search"] = report.Search.ToString(),
            });
            return ExitCodes.Ok;
        }
        var name = report.Network.Length == 0 ? "the default network" : $"network '{report.Network}'";
        Console.Out.WriteLine($"{name} is quiescent{(settings.Durable ? " and stored" : "")} (waited {report.Waited.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms)");
        foreach (var c in report.Counters) Console.Out.WriteLine($"  machine {c.Machine}: {c.Started} started, {c.Finished} finished");
        if (report.Contradictions.Count == 0) Console.Out.WriteLine("  no contradictions");
        foreach (var c in report.Contradictions)
            Console.Out.WriteLine($"  contradiction at {c.Source}: {c.Reason}, nogood {c.Nogood}{(c.Unresolvable ? " (unresolvable: retract a premise)" : "")}");
        Console.Out.WriteLine($"  search: {report.Search}");
        return ExitCodes.Ok;
    }
}

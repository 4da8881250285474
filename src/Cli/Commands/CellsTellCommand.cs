using System.ComponentModel;
using System.Text.Json.Nodes;
using Spectre.Console.Cli;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Input;
using OrleansSync.Cli.Output;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;
using OrleansSync.Propagators;

namespace OrleansSync.Cli.Commands;

public sealed class CellsTellCommand : ClusterCommand<CellsTellCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<CELL>")]
        [Description("The cell's id.")]
        public string Cell { get; set; } = "";

        [CommandArgument(1, "<VALUE>")]
        [Description("3.5 a number, [[1, 2]] an interval (quote it in the shell), true/false, {\"t\": ...} a stored encoding, anything else text.")]
        public string Value { get; set; } = "";

        [CommandOption("-p|--premise <PREMISE>")]
        [Description("Supports the value by this premise (repeat for several): kicking the premise out withdraws it.")]
        public string[] Premises { get; set; } = [];

        [CommandOption("-n|--network <NETWORK>")]
        [Description("The network the propagation counts toward (for its quiescence and reports); default the default network.")]
        public string Network { get; set; } = "";
    }

    private PartialInfo _increment = Nothing.Instance;

    protected override void Validate(Settings settings)
    {
        var value = TellSyntax.Parse(settings.Value, PartialInfoCodec.Default);
        _increment = settings.Premises.Length > 0 ? Supported.By(value, settings.Premises) : value;
    }

    protected override async Task<int> RunAsync(IClusterClient client, Settings settings, CancellationToken cancellationToken)
    {
        var result = await new PropagatorNetwork(client, settings.Network).Tell(settings.Cell, _increment);
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject
            {
                ["id"] = settings.Cell,
                ["told"] = _increment.ToString(),
                ["changed"] = result.Changed,
                ["version"] = result.Version,
                ["strongest"] = result.Strongest.ToString(),
                ["strongestEncoded"] = JsonOutput.Value(result.Strongest),
            });
            return ExitCodes.Ok;
        }
        Console.Out.WriteLine(result.Changed
            ? $"{settings.Cell}: stored {_increment}; version {result.Version}, strongest {result.Strongest}"
            : $"{settings.Cell}: already known, unchanged; version {result.Version}, strongest {result.Strongest}");
        return ExitCodes.Ok;
    }
}

using System.Text.Json.Nodes;
using OrleansSync.Cli.Output;
using OrleansSync.Premises;
using OrleansSync.Propagators;

namespace OrleansSync.Cli.Commands;

/// <summary>What the premise commands share: one call to the premise grain, then its belief printed.</summary>
public abstract class PremiseCommand : ClusterCommand<PremiseSettings>
{
    protected override async Task<int> RunAsync(IClusterClient client, PremiseSettings settings, CancellationToken cancellationToken)
    {
        var info = await Apply(new PropagatorNetwork(client, settings.Network), settings.Premise);
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject { ["premise"] = info.Premise, ["in"] = info.In, ["version"] = info.Version, ["amb"] = info.Amb });
            return ExitCodes.Ok;
        }
        var belief = info.In ? "believed (in)" : "not believed (out)";
        Console.Out.WriteLine($"{info.Premise}: {belief}, version {info.Version}{(info.Amb is { } amb ? $", a choice of amb {amb}" : "")}");
        return ExitCodes.Ok;
    }

    protected abstract Task<PremiseInfo> Apply(PropagatorNetwork network, string premise);
}

public sealed class PremisesKickOutCommand : PremiseCommand
{
    protected override Task<PremiseInfo> Apply(PropagatorNetwork network, string premise) => network.KickOut(premise);
}

public sealed class PremisesBringInCommand : PremiseCommand
{
    protected override Task<PremiseInfo> Apply(PropagatorNetwork network, string premise) => network.BringIn(premise);
}

public sealed class PremisesShowCommand : PremiseCommand
{
    protected override Task<PremiseInfo> Apply(PropagatorNetwork network, string premise) => network.Premise(premise).GetInfo();
}

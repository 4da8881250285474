using Spectre.Console.Cli;
using OrleansSync.Cli.Commands;

namespace OrleansSync.Cli;

/// <summary>The command tree: <c>orleanssync cells|propagators|machines|premises|quiescence|compact</c>.</summary>
public static class CliApp
{
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("orleanssync");
            config.SetApplicationVersion(typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.SetExceptionHandler((error, _) =>
            {
                // Reached only for what the parser refuses; commands report their own failures.
                Console.Error.WriteLine("error: " + error.Message);
                return ExitCodes.Usage;
            });
            config.AddBranch("cells", cells =>
            {
                cells.SetDescription("Read, tell and watch cells.");
                cells.AddCommand<CellsGetCommand>("get").WithDescription("A cell's strongest value, metadata and the propagators that read and write it.")
                    .WithExample("cells", "get", "building-height");
                cells.AddCommand<CellsTellCommand>("tell").WithDescription("Merges a value into a cell; returns once it is stored.")
                    .WithExample("cells", "tell", "building-height", "'[44.5, 48.9]'")
                    .WithExample("cells", "tell", "t", "'[2.9, 3.1]'", "--premise", "stopwatch");
                cells.AddCommand<CellsWatchCommand>("watch").WithDescription("Prints each cell's value, then every change, until Ctrl+C.")
                    .WithExample("cells", "watch", "x", "y", "z");
                cells.AddCommand<CellsListCommand>("list").WithDescription("The most recently created cells (a bounded listing, newest first per shard).");
            });
            config.AddBranch("propagators", propagators =>
            {
                propagators.SetDescription("The propagators registered on machines.");
                propagators.AddCommand<PropagatorsListCommand>("list").WithDescription("Propagators per machine, with their cells.")
                    .WithExample("propagators", "list", "--machine", "A", "--status");
            });
            config.AddBranch("machines", machines =>
            {
                machines.SetDescription("The machines of the network.");
                machines.AddCommand<MachinesListCommand>("list").WithDescription("Every machine: active or not, last seen, how many propagators.");
            });
            config.AddBranch("premises", premises =>
            {
                premises.SetDescription("Change what the network believes.");
                premises.AddCommand<PremisesKickOutCommand>("kick-out").WithDescription("Stops believing a premise: the cells that mention it re-derive.")
                    .WithExample("premises", "kick-out", "stopwatch");
                premises.AddCommand<PremisesBringInCommand>("bring-in").WithDescription("Believes a premise again.")
                    .WithExample("premises", "bring-in", "stopwatch");
                premises.AddCommand<PremisesShowCommand>("show").WithDescription("Whether a premise is believed, and the amb it is a choice of.");
            });
            config.AddCommand<QuiescenceCommand>("quiescence").WithDescription("Waits until a network's propagation is done; prints its contradictions.")
                .WithExample("quiescence", "--network", "demo", "--timeout", "30s");
            config.AddCommand<CompactCommand>("compact").WithDescription("Archives unreachable cells and deletes what outlived its retention, with a progress bar.")
                .WithExample("compact", "--archive-retention", "30d", "--tombstone-retention", "7d");
        });
        return app;
    }
}

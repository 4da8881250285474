using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Spectre.Console.Cli;
using OrleansSync.Cells;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Output;

namespace OrleansSync.Cli.Commands;

/// <summary>
/// Subscribes like a backend service does (<see cref="CellSubscriber"/>, renewed, surviving silo failures) and prints one
/// line per cell, then one per change, in the order each cell changed.
/// </summary>
public sealed class CellsWatchCommand : ClusterCommand<CellsWatchCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<CELLS>")]
        [Description("The ids of the cells to watch.")]
        public string[] Cells { get; set; } = [];

        [CommandOption("--count <N>")]
        [Description("Stop after N changes (default: until Ctrl+C).")]
        public int? Count { get; set; }
    }

    protected override void Validate(Settings settings)
    {
        if (settings.Cells.Length == 0) throw new UsageException("Name at least one cell to watch.");
        if (settings.Count is <= 0) throw new UsageException("--count must be at least 1.");
    }

    protected override async Task<int> RunAsync(IClusterClient client, Settings settings, CancellationToken cancellationToken)
    {
        // Changes arrive on Orleans' threads; one reader prints them, so lines never interleave.
        var changes = Channel.CreateUnbounded<CellChange>(new UnboundedChannelOptions { SingleReader = true });
        await using var subscriber = new CellSubscriber(client, change => changes.Writer.WriteAsync(change, cancellationToken).AsTask(),
            onRenewalError: (cell, error) => Console.Error.WriteLine($"warning: renewing the subscription to {cell} failed: {error.Message}"));
        foreach (var cell in settings.Cells.Distinct(StringComparer.Ordinal))
        {
            var snapshot = await subscriber.SubscribeAsync(cell);
            Print(settings, "value", cell, snapshot.Metadata.Version, snapshot.Strongest, snapshot.Metadata.UpdatedAt);
        }
        var printed = 0;
        await foreach (var change in changes.Reader.ReadAllAsync(cancellationToken))
        {
            Print(settings, "change", change.CellId, change.Version, change.Strongest, change.UpdatedAt);
            if (++printed == settings.Count) break;
        }
        return ExitCodes.Ok;
    }

    private static void Print(Settings settings, string kind, string cell, long version, Lattice.PartialInfo strongest, DateTimeOffset at)
    {
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject
            {
                ["event"] = kind,
                ["id"] = cell,
                ["version"] = version,
                ["strongest"] = strongest.ToString(),
                ["strongestEncoded"] = JsonOutput.Value(strongest),
                ["at"] = at,
            });
            return;
        }
        var time = version == 0 ? "never told" : at.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Console.Out.WriteLine($"{time}  {cell}  v{version}  {strongest}");
        Console.Out.Flush();
    }
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Input;
using OrleansSync.Cli.Output;
using OrleansSync.Compaction;

namespace OrleansSync.Cli.Commands;

/// <summary>
/// Starts a compaction (or follows the one running), shows its phases as progress bars, and ends with what it did and
/// which cells, nodes and propagators it archived or deleted (docs/COMPACTION.md).
/// </summary>
public sealed class CompactCommand : ClusterCommand<CompactCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--archive-retention <DURATION>")]
        [Description("How long archived cells stay restorable before their row is deleted (default 30d).")]
        public string ArchiveRetention { get; set; } = "30d";

        [CommandOption("--tombstone-retention <DURATION>")]
        [Description("How long Gun null tombstones are kept (default 7d).")]
        public string TombstoneRetention { get; set; } = "7d";

        [CommandOption("--propagator-retention <DURATION>")]
        [Description("How long disposed propagators' rows are kept (default 30d).")]
        public string PropagatorRetention { get; set; } = "30d";

        [CommandOption("--status")]
        [Description("Only show the last or running compaction; start nothing.")]
        public bool StatusOnly { get; set; }

        [CommandOption("-t|--timeout <DURATION>")]
        [Description("Stop following after this long (the compaction goes on in the cluster; default 1h).")]
        public string Timeout { get; set; } = "1h";
    }

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    private CompactionRequest _request = CompactionRequest.Default;
    private TimeSpan _timeout;

    protected override void Validate(Settings settings)
    {
        _request = new CompactionRequest(
            Durations.Parse(settings.ArchiveRetention, "--archive-retention"),
            Durations.Parse(settings.TombstoneRetention, "--tombstone-retention"),
            Durations.Parse(settings.PropagatorRetention, "--propagator-retention"));
        _timeout = Durations.Parse(settings.Timeout, "--timeout");
    }

    protected override async Task<int> RunAsync(IClusterClient client, Settings settings, CancellationToken cancellationToken)
    {
        var compaction = client.GetGrain<ICompactionGrain>(ICompactionGrain.Key);
        if (settings.StatusOnly)
        {
            var status = await compaction.GetStatus();
            Report(settings, status);
            return status.Error is null ? ExitCodes.Ok : ExitCodes.Failed;
        }
        if (await compaction.GetStatus() is { Running: true, StartedAt: { } since })
            Console.Error.WriteLine($"A compaction started at {since.ToLocalTime():HH:mm:ss} is running; following it (the retentions given here do not apply).");
        var started = await compaction.Start(_request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        CompactionStatus last;
        try
        {
            last = settings.Json ? await FollowAsJson(compaction, started, deadline.Token)
                : Out.Profile.Capabilities.Interactive ? await FollowWithProgress(compaction, started, deadline.Token)
                : await FollowAsLines(compaction, started, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The compaction did not finish within {settings.Timeout}; it goes on in the cluster (orleanssync compact --status).");
        }
        Report(settings, last);
        return last.Error is null ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>A bar per phase: finished phases stay at 100%, the current one moves.</summary>
    private static Task<CompactionStatus> FollowWithProgress(ICompactionGrain compaction, CompactionStatus status, CancellationToken cancellationToken) =>
        Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DoneOfTotalColumn(), new ElapsedTimeColumn())
            .StartAsync(progress =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                return Follow(compaction, status, (phase, done, total, finished) =>
                {
                    if (!bars.TryGetValue(phase, out var bar)) bar = bars[phase] = progress.AddTask(phase, maxValue: Math.Max(1, total));
                    // A bar needs a size: an empty phase is a full bar of one that says so.
                    if (finished && total == 0) bar.Description = phase + " (nothing to do)";
                    bar.MaxValue = Math.Max(1, Math.Max(total, done));
                    bar.Value = finished ? bar.MaxValue : done;
                    DoneOfTotalColumn.Set(bar, finished ? Math.Max(done, total) : done, total);
                    if (finished) bar.StopTask();
                }, cancellationToken);
            });

    /// <summary>Not a terminal (a log, a pipe): a line when a phase starts, at every tenth of it, and when it ends.</summary>
    private static Task<CompactionStatus> FollowAsLines(ICompactionGrain compaction, CompactionStatus status, CancellationToken cancellationToken)
    {
        var shown = new Dictionary<string, long>(StringComparer.Ordinal);   // phase -> tenths shown
        return Follow(compaction, status, (phase, done, total, finished) =>
        {
            var tenths = finished || total == 0 ? 10 : Math.Min(10, 10 * done / total);
            if (shown.TryGetValue(phase, out var before) && before >= tenths) return;
            shown[phase] = tenths;
            if (finished) done = Math.Max(done, total);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase}: {done:N0}/{Math.Max(total, done):N0} ({tenths * 10}%)"));
        }, cancellationToken);
    }

    /// <summary>One JSON line per phase whenever its progress moved, and when it finished.</summary>
    private static Task<CompactionStatus> FollowAsJson(ICompactionGrain compaction, CompactionStatus status, CancellationToken cancellationToken)
    {
        var shown = new Dictionary<string, (long, bool)>(StringComparer.Ordinal);
        return Follow(compaction, status, (phase, done, total, finished) =>
        {
            if (shown.TryGetValue(phase, out var before) && before == (done, finished)) return;
            shown[phase] = (done, finished);
            JsonOutput.Print(new JsonObject { ["phase"] = phase, ["done"] = done, ["total"] = total, ["finished"] = finished });
        }, cancellationToken);
    }

    /// <summary>
    /// Polls the compaction until it ends, showing each finished phase (<paramref name="show"/> with finished true; a
    /// phase too short to be seen running still appears) and the running one, again on every poll.
    /// </summary>
    private static async Task<CompactionStatus> Follow(ICompactionGrain compaction, CompactionStatus status, Action<string, long, long, bool> show,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var phase in status.CompletedPhases) show(phase.Name, phase.Done, phase.Total, true);
            if (status.Running && status.Phase is not ("starting" or "done" or "idle")) show(status.Phase, status.Done, status.Total, false);
            if (!status.Running) return status;
            await Task.Delay(PollEvery, cancellationToken);
            status = await compaction.GetStatus();
        }
    }

    private static void Report(Settings settings, CompactionStatus status)
    {
        if (settings.Json)
        {
            JsonOutput.Print(new JsonObject
            {
                ["phase"] = status.Phase,
                ["running"] = status.Running,
                ["startedAt"] = status.StartedAt,
                ["finishedAt"] = status.FinishedAt,
                ["error"] = status.Error,
                ["summary"] = status.Summary is { } s ? JsonOutput.Of(s) : null,
            });
            return;
        }
        if (status.Error is { } error)
        {
            Console.Error.WriteLine($"error: the compaction failed: {error}");
            return;
        }
        if (status.Summary is not { } summary)
        {
            Console.Out.WriteLine(status.Running ? $"A compaction is running: {status.Phase}, {status.Done} of {status.Total}." : "No compaction has run since the compaction grain started.");
            return;
        }
        var table = new Table().AddColumns("", "").HideHeaders();
        void Row(string what, long count) => table.AddRow(new Text(what), new Text(count.ToString("N0", CultureInfo.InvariantCulture)).RightJustified());
        Row("cells scanned", summary.CellsScanned);
        Row("roots", summary.Roots);
        Row("reachable", summary.Reachable);
        Row("archived", summary.Archived);
        Row("kept (written meanwhile)", summary.KeptBecauseChanged);
        Row("restored from the archive", summary.Restored);
        Row("archived cells deleted", summary.ArchiveDeleted);
        Row("gun tombstones removed", summary.TombstonesRemoved);
        Row("gun nodes deleted", summary.GunNodesDeleted);
        Row("disposed propagators forgotten", summary.PropagatorsForgotten);
        if (summary.Unreadable > 0) Row("unreadable rows (kept)", summary.Unreadable);
        Row("rows freed", summary.RowsFreed);
        Row("payload bytes freed", summary.BytesFreed);
        Out.Write(table);
        var samples = summary.Samples ?? CompactionSamples.None;
        List("archived cells", samples.Archived, summary.Archived);
        List("deleted archived cells", samples.ArchiveDeleted, summary.ArchiveDeleted);
        List("deleted gun nodes", samples.GunNodesDeleted, summary.GunNodesDeleted);
        List("forgotten propagators", samples.PropagatorsForgotten, summary.PropagatorsForgotten);
    }

    private static void List(string what, IReadOnlyList<string> ids, long total)
    {
        if (total == 0) return;
        Console.Out.WriteLine($"{what}:");
        foreach (var id in ids.Order(StringComparer.Ordinal)) Console.Out.WriteLine("  " + id);
        if (total > ids.Count) Console.Out.WriteLine($"  ... and {total - ids.Count:N0} more (the first {ids.Count} are listed)");
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansSync.Compaction;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice.Json;

namespace OrleansSync.Grains.Compaction;

/// <summary>
/// Runs one <see cref="CompactionRun"/> at a time in the background of its activation, which stays active while it
/// runs; the run's turns interleave with status requests, so progress can be watched.
/// </summary>
[GrainType("compaction")]
public sealed partial class CompactionGrain(
    PartialInfoCodec codec,
    TimeProvider clock,
    ILogger<CompactionGrain> logger) : Grain, ICompactionGrain, ICompactionProgress
{
    private CompactionStatus _status = CompactionStatus.NeverRun;
    private Task? _run;

    public Task<CompactionStatus> Start(CompactionRequest request)
    {
        request.Validate();
        if (_run is { IsCompleted: false }) return Task.FromResult(_status);
        var stored = ServiceProvider.GetService<IStoredStates>()
            ?? throw new InvalidOperationException("This silo's storage cannot be enumerated (in-memory storage): compaction needs SQLite or PostgreSQL.");
        var storage = CellStorage.Of(ServiceProvider);
        var now = clock.GetUtcNow();
        _status = new CompactionStatus("starting", true, 0, 0, now, null, null, null);
        DelayDeactivation(TimeSpan.FromDays(1));
        _run = Run(new CompactionRun(stored, GrainFactory, storage, new JsonStateSerializer(codec), request, now, this, logger));
        return Task.FromResult(_status);
    }

    public Task<CompactionStatus> GetStatus() => Task.FromResult(_status);

    void ICompactionProgress.Phase(string phase, long total) => _status = _status with { Phase = phase, Done = 0, Total = total, Completed = Completed(_status) };

    void ICompactionProgress.Advance(long done) => _status = _status with { Done = _status.Done + done };

    /// <summary>The finished phases with the one <paramref name="status"/> is in appended (when it is a phase of the run).</summary>
    private static IReadOnlyList<CompactionPhase> Completed(CompactionStatus status) =>
        status.Phase == "starting" ? status.CompletedPhases : [.. status.CompletedPhases, new CompactionPhase(status.Phase, status.Done, status.Total)];

    private async Task Run(CompactionRun run)
    {
        try
        {
            var summary = await run.RunAsync();
            _status = _status with { Phase = "done", Running = false, FinishedAt = clock.GetUtcNow(), Summary = summary, Completed = Completed(_status) };
        }
        catch (Exception error)
        {
            LogFailed(error);
            _status = _status with { Running = false, FinishedAt = clock.GetUtcNow(), Error = error.Message };
        }
        finally
        {
            DelayDeactivation(TimeSpan.FromMinutes(10));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Compaction failed")]
    private partial void LogFailed(Exception error);
}

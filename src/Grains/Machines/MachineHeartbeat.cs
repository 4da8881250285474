using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// Keeps this silo's machine registered: when the silo becomes active it first wakes the machine's
/// propagators (they catch up on whatever changed while it was away), then heartbeats the registry until
/// shutdown, when it marks the machine stopped.
/// </summary>
public sealed partial class MachineHeartbeat(
    IGrainFactory grains,
    IOptions<MachineOptions> options,
    ILogger<MachineHeartbeat> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    private MachineOptions Machine => options.Value;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(MachineHeartbeat), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(Beat, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        try
        {
            await grains.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).Stopped(Machine.Id).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception error)
        {
            LogStopFailed(error, Machine.Id);
        }
    }

    private async Task Beat()
    {
        var registry = grains.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);
        var caughtUp = false;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (!caughtUp)
                {
                    await MoveLegacyRows();
                    // Before the first heartbeat: once the registry shows this machine active, its catch-up is already counted.
                    var woken = await grains.GetGrain<IMachineAgentGrain>(Machine.Id).CatchUp();
                    caughtUp = true;
                    LogCaughtUp(Machine.Id, woken);
                }
                await registry.Heartbeat(Machine.Id, Machine.Name, MachineKind.Cluster);
            }
            catch (Exception error) when (!_stopping.IsCancellationRequested)
            {
                LogHeartbeatFailed(error, Machine.Id);
            }
            try
            {
                await Task.Delay(Machine.HeartbeatInterval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Rows of an earlier version first: the catch-up reads the shards they move into. A row that cannot be moved stays
    /// where it is (the next start tries again) and does not keep the machine down.
    /// </summary>
    private async Task MoveLegacyRows()
    {
        try
        {
            await grains.GetGrain<ILegacyRowsGrain>(ILegacyRowsGrain.Key).Migrate();
        }
        catch (Exception error) when (!_stopping.IsCancellationRequested)
        {
            LogLegacyRowsFailed(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Moving the registry and worldview rows of an earlier version failed; they stay until the next start")]
    private partial void LogLegacyRowsFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Machine {MachineId} is up: woke its {Count} propagators to catch up with their inputs")]
    private partial void LogCaughtUp(string machineId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of machine {MachineId} failed; retrying")]
    private partial void LogHeartbeatFailed(Exception error, string machineId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark machine {MachineId} stopped")]
    private partial void LogStopFailed(Exception error, string machineId);
}

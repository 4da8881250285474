using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// When another silo dies, what it held in memory only — derived cell contents written behind — is gone. They are
/// recomputable: this machine wakes its propagators, which read their inputs' current values and merge their results
/// again (cells that lived on the dead silo reload from storage where they are touched next).
/// </summary>
public sealed partial class MachineRecovery(
    IClusterMembershipService membership,
    IGrainFactory grains,
    IOptions<MachineOptions> options,
    ILogger<MachineRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(MachineRecovery), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(Watch, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception error) when (error is OperationCanceledException or TimeoutException)
        {
        }
    }

    private async Task Watch()
    {
        ClusterMembershipSnapshot? previous = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                if (previous is not null)
                {
                    var died = snapshot.CreateUpdate(previous).Changes.Where(m => m.Status == SiloStatus.Dead && previous.GetSiloStatus(m.SiloAddress) != SiloStatus.Dead).ToList();
                    if (died.Count > 0) await CatchUp(string.Join(", ", died.Select(m => m.SiloAddress)));
                }
                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task CatchUp(string silos)
    {
        try
        {
            var woken = await grains.GetGrain<OrleansSync.Machines.IMachineAgentGrain>(options.Value.Id).CatchUp();
            LogRecovered(silos, options.Value.Id, woken);
        }
        catch (Exception error) when (!_stopping.IsCancellationRequested)
        {
            LogRecoveryFailed(error, silos);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo(s) {Silos} died: machine {MachineId} woke its {Count} propagators to recompute what was lost")]
    private partial void LogRecovered(string silos, string machineId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering after the death of {Silos} failed")]
    private partial void LogRecoveryFailed(Exception error, string silos);
}

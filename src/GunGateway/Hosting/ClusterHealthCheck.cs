using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSync.Machines;

namespace OrleansSync.GunGateway.Hosting;

/// <summary>
/// Ready when the cluster answers a grain call within the gateway's request deadline: a gateway that cannot reach
/// any silo would only answer its peers with errs, so a load balancer should send them elsewhere.
/// </summary>
public sealed class ClusterHealthCheck(IGrainFactory grains, Microsoft.Extensions.Options.IOptions<GatewayOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var deadline = options.Value.RequestDeadline;
        try
        {
            var machines = await grains.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).GetMachines().WaitAsync(deadline, cancellationToken);
            var active = machines.Count(m => m.Active && m.Kind == MachineKind.Cluster);
            return active > 0
                ? HealthCheckResult.Healthy($"the cluster answers; {active} active silo machine(s)")
                : HealthCheckResult.Unhealthy("the cluster answers but has no active silo machine");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"the cluster did not answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the cluster is unreachable: {error.GetBaseException().Message}");
        }
    }
}

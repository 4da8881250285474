using Orleans.Runtime;
using OrleansSync.Grains.Propagators;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;
using OrleansSync.TestSupport;
using Xunit;
using F = OrleansSync.Propagation.PropagatorFunctions;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Network;

/// <summary>
/// Machines with their own implementations, the registry's view of them, and a machine going down and
/// coming back. Own cluster: machine B implements <c>add</c> as x+y+1 and one silo gets killed.
/// </summary>
public sealed class MachineTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private SqliteCluster _cluster = null!;
    private PropagatorNetwork _net = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SqliteCluster.StartAsync(2, configure: (machine, silo) =>
        {
            if (machine == "B")
                silo.Services.AddPropagator(new FunctionPropagator(P.Add, (inputs, _) => F.Add(F.Add(inputs[0], inputs[1]), new NumberValue(1))));
        });
        _net = new PropagatorNetwork(_cluster.Client);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Same_name_different_implementation_per_machine()
    {
        var onA = await _net.Primitive("A", P.Add, "x", "y", "z");
        var onB = await _net.Primitive("B", P.Add, "x", "y", "w");
        await _net.Tell("x", new NumberValue(1));
        await _net.Tell("y", new NumberValue(2));
        await _net.WaitForQuiescence(Timeout);

        Assert.Equal(new NumberValue(3), await _net.Strongest("z"));
        Assert.Equal(new NumberValue(4), await _net.Strongest("w"));

        var machines = await _net.Registry.GetMachines();
        Assert.Equal(["A", "B"], machines.Select(m => m.Id));
        Assert.All(machines, m => Assert.True(m.Active && m.Kind == MachineKind.Cluster));
        Assert.Equal(1, machines[1].PropagatorCount);
        Assert.Equal([onB.Id], (await _net.Registry.GetPropagators("B")).Select(p => p.Id));
        var forX = await _net.Registry.GetCellPropagators("x");
        Assert.Equal([onA.Id], forX["A"]);
        Assert.Equal([onB.Id], forX["B"]);
        Assert.Equal([onB.Id], (await _net.Registry.GetCellPropagators("w"))["B"]);
    }

    [Fact]
    public async Task Propagator_waits_while_its_machine_is_down_and_catches_up_when_it_returns()
    {
        var multiply = await _net.Primitive("B", P.Multiply, "u", "v", "m");
        await _net.Tell("u", new NumberValue(3));
        await _net.WaitForQuiescence(Timeout);

        await _cluster.Cluster.KillSiloAsync(_cluster.SiloOf("B"));
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        await Conditions.WaitUntilAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 1, Timeout, "membership to drop machine B");
        await Conditions.WaitUntilAsync(async () => (await _net.Registry.GetMachine("B"))!.Active == false, Timeout, "the registry to mark B inactive");

        var told = await _net.Tell("v", new NumberValue(4));
        Assert.True(told.Changed);
        await _net.WaitForQuiescence(Timeout);
        Assert.True((await _net.Strongest("m")).IsNothing);
        var waiting = await _net.Status(multiply.Id);
        Assert.Equal(PropagatorStatus.WaitingForMachine, waiting.Status);
        Assert.Contains("machine 'B'", waiting.Detail);

        _cluster.NextMachine = "B";
        await _cluster.Cluster.StartAdditionalSiloAsync();
        await Conditions.WaitUntilAsync(async () => (await _net.Registry.GetMachine("B"))!.Active, Timeout, "machine B to heartbeat again");
        await _net.WaitForQuiescence(Timeout);

        Assert.Equal(new NumberValue(12), await _net.Strongest("m"));
        Assert.Equal(PropagatorStatus.Ran, (await _net.Status(multiply.Id)).Status);
    }
}

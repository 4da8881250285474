using Microsoft.Data.Sqlite;
using OrleansSync.Grains.Machines;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// Upgrading a database written by the version before the scale-out (commit da829aa), which kept every propagator in
/// one registry row and every belief in one worldview row. <c>Fixtures/orleanssync-da829aa.db</c> was written by that
/// version: machine A with a constant and an <c>add</c> (legacy-x + legacy-one → legacy-y), legacy-x told [0, 100]
/// supported by legacy-wide and [10, 20] supported by legacy-narrow, then legacy-narrow kicked out.
/// </summary>
public sealed class LegacyRowsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", "orleanssync-da829aa.db");

    [Fact]
    public async Task A_database_of_the_earlier_version_keeps_its_propagators_and_beliefs()
    {
        await using var sqlite = await SqliteCluster.StartAsync(silos: 1, database: Fixture);
        // The silo moves the old rows before its machine catches up; this call waits for that (one activation).
        await sqlite.Client.GetGrain<ILegacyRowsGrain>(ILegacyRowsGrain.Key).Migrate();
        var net = new PropagatorNetwork(sqlite.Client);

        var listed = await net.Registry.GetPropagators("A");
        Assert.Contains(listed, s => s.Id == "A/legacy-add" && s.Implementation == BuiltInPropagators.Add);
        Assert.Contains(listed, s => s.Implementation == BuiltInPropagators.Constant && s.Outputs.SequenceEqual(["legacy-one"]));
        Assert.Equal(2, listed.Count);
        Assert.Contains("A", await sqlite.Client.GetGrain<IMachineListGrain>(IMachineListGrain.Key).GetAll());

        Assert.False((await net.Premise("legacy-narrow").GetInfo()).In);
        Assert.True((await net.Premise("legacy-wide").GetInfo()).In);
        await net.WaitForQuiescence(Timeout);
        Assert.Equal(new Interval(1, 101), ValueOf(await net.Strongest("legacy-y")));

        // The old propagator runs on the new paths, and the moved belief can be changed as any other.
        await net.Tell("legacy-x", Supported.By(new Interval(50, 60), "legacy-new"));
        await net.WaitForQuiescence(Timeout);
        Assert.Equal(new Interval(51, 61), ValueOf(await net.Strongest("legacy-y")));
        await net.KickOut("legacy-new");
        await net.BringIn("legacy-narrow");
        await net.WaitForQuiescence(Timeout);
        Assert.Equal(new Interval(11, 21), ValueOf(await net.Strongest("legacy-y")));

        Assert.Equal(0, await OldRows(sqlite));
    }

    private static PartialInfo ValueOf(PartialInfo strongest) => strongest is Supported s ? s.Value : strongest;

    private static async Task<long> OldRows(SqliteCluster sqlite)
    {
        await using var connection = new SqliteConnection(sqlite.SqliteConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString IN ('machine-registry', 'worldview')";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansSync.Cells;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;
using Xunit;

namespace OrleansSync.Tests.Lattice;

/// <summary>Every type round-trips through the Orleans serializer (the wire) and the stored format.</summary>
public sealed class SerializationTests
{
    private static readonly Serializer OrleansSerializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(PartialInfo).Assembly).AddAssembly(typeof(CellState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static readonly Gen<PartialInfo> Values = Gen.OneOf(Gens.Any, Gens.Tms, Gens.Clocked, Gens.Contradictions, Gens.Carried, Gens.Closures,
        Gen.Double.Select(d => (PartialInfo)new NumberValue(d)),
        Gen.String.Select(s => (PartialInfo)new TextValue(s)));

    [Fact]
    public void Every_type_round_trips_through_the_orleans_serializer() =>
        Values.Sample(value =>
        {
            var copy = OrleansSerializer.Deserialize<PartialInfo>(OrleansSerializer.SerializeToArray(value));
            return copy is not null && copy.GetType() == value.GetType() && copy.Equals(value);
        }, iter: 5_000);

    [Fact]
    public void Every_type_round_trips_through_the_stored_format() =>
        Values.Sample(value =>
        {
            var copy = PartialInfoCodec.Default.FromJson(PartialInfoCodec.Default.ToJson(value));
            return copy.GetType() == value.GetType() && copy.Equals(value);
        }, iter: 5_000, print: v => PartialInfoCodec.Default.ToJson(v));

    [Fact]
    public void Cell_state_is_stored_without_dotnet_type_names()
    {
        var state = new CellState
        {
            Name = "height",
            Kind = CellKind.Carried,
            Version = 7,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch.AddDays(1),
            Content = Tms.Of(Supported.By(new Interval(double.NegativeInfinity, 3), "p")),
            Subscribers = ["sys.client/x"],
        };
        var serializer = new JsonStateSerializer();
        var stored = serializer.Serialize(state).ToString();

        Assert.DoesNotContain("OrleansSync", stored);
        Assert.DoesNotContain("$type", stored);
        Assert.Contains("\"kind\":\"carried\"", stored);
        Assert.Contains("\"t\":\"tms\"", stored);

        var copy = serializer.Deserialize<CellState>(new BinaryData(stored));
        Assert.Equal(state.Content, copy.Content);
        Assert.Equal((state.Name, state.Kind, state.Version, state.CreatedAt, state.UpdatedAt), (copy.Name, copy.Kind, copy.Version, copy.CreatedAt, copy.UpdatedAt));
        Assert.Equal(state.Subscribers, copy.Subscribers);
    }

    [Fact]
    public void Cell_messages_round_trip_through_the_orleans_serializer()
    {
        var metadata = new CellMetadata("c1", "height", CellKind.Value, 3, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));
        var snapshot = new CellSnapshot(metadata, Tms.Of(Supported.By(new NumberValue(1), "p")), Supported.By(new NumberValue(1), "p"));
        Assert.Equal(snapshot, OrleansSerializer.Deserialize<CellSnapshot>(OrleansSerializer.SerializeToArray(snapshot)));
        var result = new MergeResult(true, new Interval(1, 2), 4);
        Assert.Equal(result, OrleansSerializer.Deserialize<MergeResult>(OrleansSerializer.SerializeToArray(result)));
    }

    [Fact]
    public void Bad_stored_input_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<System.Text.Json.JsonException>(() => PartialInfoCodec.Default.FromJson("{\"t\":\"bogus\"}"));
        Assert.Contains("bogus", error.Message);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => PartialInfoCodec.Default.FromJson("[1,2]"));
        Assert.ThrowsAny<ArgumentException>(() => PartialInfoCodec.Default.FromJson("{\"t\":\"interval\",\"lo\":3,\"hi\":1}"));
    }

    [Fact]
    public void Machine_shard_pages_round_trip_through_the_stored_format()
    {
        var page = new OrleansSync.Grains.Storage.RowPage<OrleansSync.Propagation.PropagatorSpec>
        {
            Items = [new OrleansSync.Propagation.PropagatorSpec("A/p", "add", ["x", "y"], ["z"], [new NumberValue(1)], "tenant")],
        };
        var machine = new OrleansSync.Grains.Machines.MachineState
        {
            Name = "box", Kind = OrleansSync.Machines.MachineKind.External,
            ConnectedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_000), LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(2_000), Stopped = true,
        };
        var serializer = new JsonStateSerializer();
        var back = serializer.Deserialize<OrleansSync.Grains.Storage.RowPage<OrleansSync.Propagation.PropagatorSpec>>(serializer.Serialize(page));
        Assert.True(page.Items[0].SameAs(back.Items[0]));
        Assert.Equal("tenant", back.Items[0].Network);
        var machineBack = serializer.Deserialize<OrleansSync.Grains.Machines.MachineState>(serializer.Serialize(machine));
        Assert.Equal((machine.Name, machine.Kind, machine.ConnectedAt, machine.LastSeen, machine.Stopped),
            (machineBack.Name, machineBack.Kind, machineBack.ConnectedAt, machineBack.LastSeen, machineBack.Stopped));
        Assert.Contains("\"stopped\":true", serializer.Serialize(machine).ToString());
    }
}

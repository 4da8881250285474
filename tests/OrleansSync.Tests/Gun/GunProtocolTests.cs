using System.Text;
using System.Text.Json;
using CsCheck;
using OrleansSync.Gun;
using OrleansSync.GunGateway.Protocol;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>The pure protocol pieces, without sockets: HAM, frames, graph validation, replies.</summary>
public sealed class GunProtocolTests
{
    [Theory]
    [InlineData(10, "\"b\"", 10, "\"a\"", HamOutcome.Accept)]    // tie: larger JSON text wins
    [InlineData(10, "\"a\"", 10, "\"b\"", HamOutcome.Ignore)]
    [InlineData(10, "\"a\"", 10, "\"a\"", HamOutcome.Ignore)]    // identical: nothing to do
    [InlineData(9, "\"z\"", 10, "\"a\"", HamOutcome.Ignore)]     // stale
    [InlineData(11, "\"a\"", 10, "\"z\"", HamOutcome.Accept)]    // newer
    [InlineData(10, "null", 10, "\"a\"", HamOutcome.Accept)]     // "n" > "\"" by code unit, as in JavaScript
    [InlineData(10, "5", 10, "\"a\"", HamOutcome.Accept)]
    [InlineData(2000, "\"a\"", null, null, HamOutcome.Defer)]   // beyond now (1000)
    public void Ham_matches_gun(int state, string value, int? knownState, string? knownValue, HamOutcome expected)
    {
        var known = knownState is null ? null : new GunField(knownValue!, knownState.Value);
        Assert.Equal(expected, HamResolver.Resolve(state, value, known, now: 1000));
    }

    [Fact]
    public void Queued_frames_go_out_as_one_array_of_their_messages_in_order()
    {
        static string Batch(params string[] frames)
        {
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            GunBatch.Write(frames, output);
            return Encoding.UTF8.GetString(output.WrittenSpan);
        }

        Assert.Equal("{\"#\":\"a\"}", Batch("{\"#\":\"a\"}"));
        Assert.Equal("[]", Batch("[]"));
        var joined = Batch("{\"#\":\"a\"}", "[]", "[{\"#\":\"b\"},{\"#\":\"c\",\"ok\":\"é\"}]", " [ ] ", "{\"#\":\"d\"}");
        Assert.Equal("[{\"#\":\"a\"},{\"#\":\"b\"},{\"#\":\"c\",\"ok\":\"é\"},{\"#\":\"d\"}]", joined);
        // Read back as a peer reads it: every message, in the order queued.
        using var frame = GunFrame.Parse(Encoding.UTF8.GetBytes(joined));
        Assert.Null(frame.Error);
        Assert.Equal(["a", "b", "c", "d"], frame.Messages.Select(m => m.GetProperty("#").GetString()));
        Assert.Equal("[]", Batch("[]", "[]"));
    }

    [Fact]
    public void Message_ids_are_processed_once_within_the_window_and_the_oldest_go_first_when_full()
    {
        var dedup = new MessageDedup(TimeSpan.FromSeconds(9), capacity: 3);
        Assert.True(dedup.FirstTime("a", 0));
        Assert.False(dedup.FirstTime("a", 8_000));
        Assert.True(dedup.FirstTime("a", 9_001));   // the window has passed
        Assert.True(dedup.FirstTime("b", 9_002));
        Assert.True(dedup.FirstTime("c", 9_003));
        Assert.True(dedup.FirstTime("d", 9_004));   // over capacity: "a" is forgotten on the next offer
        Assert.True(dedup.FirstTime("a", 9_005));
        Assert.False(dedup.FirstTime("d", 9_006));
        Assert.Equal(3, dedup.Count);
        dedup.Sweep(60_000);
        Assert.Equal(0, dedup.Count);
    }

    [Fact]
    public void Ham_converges_whatever_the_order_of_writes() =>
        Gen.Select(Gen.Int[0, 5], Gen.OneOfConst("\"a\"", "\"b\"", "1", "true", "null", "{\"#\":\"x\"}")).Array[1, 8].Sample(writes =>
        {
            GunField? Apply(IEnumerable<(int, string)> order)
            {
                GunField? current = null;
                foreach (var (state, value) in order)
                    if (HamResolver.Resolve(state, value, current, now: 100) == HamOutcome.Accept) current = new GunField(value, state);
                return current;
            }
            return Apply(writes) == Apply(writes.Reverse()) && Apply(writes) == Apply(writes.OrderBy(w => w.Item2, StringComparer.Ordinal));
        }, iter: 5_000);

    [Fact]
    public void Frames_are_objects_or_arrays_of_objects()
    {
        using var one = GunFrame.Parse(Encoding.UTF8.GetBytes("{\"#\":\"a\"}"));
        Assert.Single(one.Messages);
        using var batch = GunFrame.Parse(Encoding.UTF8.GetBytes("[{\"#\":\"a\"},3,{\"#\":\"b\"}]"));
        Assert.Equal(2, batch.Messages.Count);
        Assert.NotNull(batch.Error);
        using var heartbeat = GunFrame.Parse(Encoding.UTF8.GetBytes("[]"));
        Assert.Empty(heartbeat.Messages);
        Assert.Null(heartbeat.Error);
        using var broken = GunFrame.Parse(Encoding.UTF8.GetBytes("{not json"));
        Assert.Equal("DAM JSON parse error.", broken.Error);
    }

    [Fact]
    public void Graphs_are_validated_like_gun()
    {
        static string? Error(string put) => GunGraph.Parse(JsonDocument.Parse(put).RootElement, new GunLimits(MaxSouls: 10, MaxSoulLength: 1024, MaxKeyLength: 1024, MaxFutureMs: 600_000), 100).Error;
        Assert.Null(Error("""{"s":{"_":{"#":"s",">":{"a":1,"b":1,"c":1,"d":1,"e":1}},"a":"x","b":1.5,"c":true,"d":null,"e":{"#":"t"}}}"""));
        Assert.Contains("no state", Error("""{"s":{"_":{"#":"s"},"a":"x"}}"""));
        Assert.Contains("no state", Error("""{"s":{"_":{"#":"s",">":{}},"a":"x"}}"""));
        Assert.Contains("soul not same", Error("""{"s":{"_":{"#":"t",">":{"a":1}},"a":"x"}}"""));
        Assert.Contains("no meta", Error("""{"s":{"a":"x"}}"""));
        Assert.Contains("bad array", Error("""{"s":{"_":{"#":"s",">":{"a":1}},"a":[1]}}"""));
        Assert.Contains("bad object", Error("""{"s":{"_":{"#":"s",">":{"a":1}},"a":{"b":1}}}"""));
        Assert.Contains("Too many souls", GunGraph.Parse(JsonDocument.Parse("""{"a":{"_":{"#":"a",">":{}}},"b":{"_":{"#":"b",">":{}}}}""").RootElement, new GunLimits(MaxSouls: 1, MaxSoulLength: 1024, MaxKeyLength: 1024, MaxFutureMs: 600_000), 100).Error);
    }

    [Fact]
    public void Souls_under_sync_are_parsed_once_into_what_they_name()
    {
        Assert.Equal(new SyncAddress(SyncKind.NotSync, ""), SyncAddress.Parse("app/sync/cells/x"));
        Assert.Equal(new SyncAddress(SyncKind.Cell, "a.b"), SyncAddress.Parse("sync/cells/a.b"));
        Assert.Equal(new SyncAddress(SyncKind.CellContent, "a.b"), SyncAddress.Parse("sync/cells/a.b/content"));
        Assert.Equal(new SyncAddress(SyncKind.Cell, "/content"), SyncAddress.Parse("sync/cells//content"));
        Assert.Equal(new SyncAddress(SyncKind.Machine, "m1"), SyncAddress.Parse("sync/machines/m1"));
        Assert.Equal(new SyncAddress(SyncKind.Propagator, "m1/p"), SyncAddress.Parse("sync/propagators/m1/p"));
        Assert.Equal(new SyncAddress(SyncKind.CellMap, "x"), SyncAddress.Parse("sync/cell_propagator_map/x"));
        Assert.Equal(new SyncAddress(SyncKind.CarriedCell, "c"), SyncAddress.Parse("sync/carried_cells/c"));
        Assert.Equal(new SyncAddress(SyncKind.CarriedChildren, "c"), SyncAddress.Parse("sync/carried_cells/c/children"));
        // Too short to hold an id before the suffix: the whole rest is the id (and names no carried cell).
        Assert.Equal(new SyncAddress(SyncKind.CarriedCell, "children"), SyncAddress.Parse("sync/carried_cells/children"));
        Assert.Equal(new SyncAddress(SyncKind.Closure, "f"), SyncAddress.Parse("sync/closures/f"));
        Assert.Equal(new SyncAddress(SyncKind.Other, ""), SyncAddress.Parse("sync/anything"));
        Assert.True(SyncAddress.Parse("sync/cells/a/content").IsStoredAsGunNode);
        Assert.False(SyncAddress.Parse("sync/cells/a").IsStoredAsGunNode);
    }

    [Fact]
    public void The_message_rate_allows_its_burst_then_its_rate_and_ignores_time_going_back()
    {
        var rate = new MessageRate(perSecond: 10, burst: 5);
        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(rate.TryTake(0)));
        Assert.False(rate.TryTake(0));
        Assert.True(rate.TryTake(0.1));
        Assert.False(rate.TryTake(0.1));
        Assert.False(rate.TryTake(0.05));
        Assert.True(rate.TryTake(0.2));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => rate.TryTake(100)));
    }

    [Fact]
    public void Numbers_and_values_are_written_as_javascript_writes_them()
    {
        Assert.Equal("1795531299404", JsJson.Number(1795531299404));
        Assert.Equal("1718984196099.001", JsJson.Number(1718984196099.001));
        Assert.Equal("1", JsJson.Number(1.0));
        Assert.Equal("0.1", JsJson.Number(0.1));
        Assert.Equal("0.000001", JsJson.Number(1e-6));
        Assert.Equal("1e-7", JsJson.Number(1e-7));
        Assert.Equal("1.5e-7", JsJson.Number(1.5e-7));
        Assert.Equal("100000000000000000000", JsJson.Number(1e20));
        Assert.Equal("1e+21", JsJson.Number(1e21));
        Assert.Equal("-2.5", JsJson.Number(-2.5));
        Assert.Equal("123456789012345680000", JsJson.Number(1.23456789012345678901e20));
        // Parsed values, not the wire's text: \u0041 is "A", 1.0 and 1e0 are 1, and integer-like keys come first.
        Assert.Equal("""{"2":1,"10":true,"b":[1,"Aé",null],"a":{"#":"x"}}""",
            JsJson.Write(JsonDocument.Parse("""{"b":[1.0,"\u0041é",null],"10":true,"a":{"#":"x"},"2":1e0}""").RootElement));
    }

    [Fact]
    public void Souls_keys_and_states_are_bounded_before_anything_reaches_a_grain()
    {
        var limits = new GunLimits(MaxSouls: 10, MaxSoulLength: 8, MaxKeyLength: 4, MaxFutureMs: 1000);
        string? Error(string soul, string key = "a", double state = 1) => GunGraph.Parse(
            JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                [soul] = new Dictionary<string, object> { ["_"] = new Dictionary<string, object> { ["#"] = soul, [">"] = new Dictionary<string, double> { [key] = state } }, [key] = "x" },
            })).RootElement, limits, nowMs: 5000).Error;
        Assert.Null(Error("s", "abcd", 6000));
        Assert.Equal("Error: Invalid soul! Only whitespace.", Error(" \t "));
        Assert.Contains("empty soul", Error(""));
        Assert.Contains("longer than 8", Error("123456789"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("empty key", Error("s", ""));
        Assert.Contains("longer than 4", Error("s", "abcde"));
        Assert.Contains("in the future", Error("s", "a", 6001));
        Assert.Null(limits.CheckSoul("~pub.key/profile"[..8]));
        Assert.Equal("Error: Invalid soul! Only whitespace.", limits.CheckSoul("   "));
    }

    [Fact]
    public void Replies_carry_raw_values_and_states()
    {
        var node = new GunNodeDelta("s/1", new Dictionary<string, GunField> { ["a"] = new("\"hé\"", 1718984196099.001), ["l"] = new("{\"#\":\"t\"}", 5) });
        var reply = JsonDocument.Parse(GunReplies.Data("q1", node)).RootElement;
        Assert.Equal("q1", reply.GetProperty("@").GetString());
        var put = reply.GetProperty("put").GetProperty("s/1");
        Assert.Equal("s/1", put.GetProperty("_").GetProperty("#").GetString());
        Assert.Equal(1718984196099.001, put.GetProperty("_").GetProperty(">").GetProperty("a").GetDouble());
        Assert.Equal("hé", put.GetProperty("a").GetString());
        Assert.Equal("t", put.GetProperty("l").GetProperty("#").GetString());
        Assert.Equal(9, GunIds.New().Length);
    }

    [Fact]
    public void Ids_are_gun_shaped_unbiased_and_do_not_repeat()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz";
        // Several threads, each drawing past the end of its pool of random bytes more than once.
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 5_000; i++) ids.Add(GunIds.New());
        });
        Assert.Equal(20_000, ids.Count);
        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id.Length == 9 && id.All(alphabet.Contains), id));
        // 180,000 characters over 61: about 2,951 each. A modulo bias (bytes 244-255 not rejected) would give the first
        // twelve characters about 3,516; a pool reused instead of refilled would repeat ids.
        var counts = ids.SelectMany(id => id).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(61, counts.Count);
        Assert.All(counts, c => Assert.InRange(c.Value, 2_650, 3_250));
    }

    [Theory]
    [InlineData("{\"t\":\"number\",\"v\":2}")]
    [InlineData("{\"t\":\"interval\",\"lo\":44.5,\"hi\":48.9}")]
    [InlineData("{\"t\":\"supported\",\"value\":{\"t\":\"number\",\"v\":3},\"support\":[\"stopwatch\"]}")]
    [InlineData("{\"t\":\"tms\",\"entries\":[{\"value\":{\"t\":\"number\",\"v\":3},\"support\":[\"a\"]},{\"value\":{\"t\":\"number\",\"v\":4},\"support\":[\"b\"]}]}")]
    [InlineData("{\"t\":\"clocked\",\"entries\":[{\"clock\":{\"me\":2},\"value\":{\"t\":\"number\",\"v\":100}}]}")]
    [InlineData("{\"t\":\"max\",\"v\":\"Infinity\"}")]
    public void The_encodings_documented_for_Gun_peers_decode_and_round_trip(string json)
    {
        var codec = OrleansSync.Lattice.Json.PartialInfoCodec.Default;
        var value = codec.FromJson(json);
        Assert.Equal(value, codec.FromJson(codec.ToJson(value)));
    }
}

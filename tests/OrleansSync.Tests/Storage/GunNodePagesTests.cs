using Microsoft.Data.Sqlite;
using OrleansSync.Grains.Gun;
using OrleansSync.Gun;
using OrleansSync.Tests.Cluster;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// A large Gun node keeps its keys in pages: a put rewrites only the pages of the keys it changes, everything comes
/// back after the node reloads, and a node emptied by compaction leaves no row behind.
/// </summary>
public sealed class GunNodePagesTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private readonly string _soul = $"pages/{Guid.NewGuid():N}";
    private readonly double _state = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

    private IGunNodeGrain Node => fixture.Cluster.Client.GetGrain<IGunNodeGrain>(_soul);

    private async Task Fill(int keys, Func<int, string> value)
    {
        for (var i = 0; i < keys; i += 250)
            await Node.Put(new GunNodeDelta(_soul, Enumerable.Range(i, Math.Min(250, keys - i)).ToDictionary(k => $"k{k}", k => new GunField(value(k), _state))));
    }

    /// <summary>The node's rows (its own and its pages) with their write versions.</summary>
    private async Task<Dictionary<string, (int Version, long Bytes)>> Rows()
    {
        await using var connection = new SqliteConnection(fixture.Cluster.SqliteConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainTypeString, GrainIdExtensionString, Version, LENGTH(PayloadBinary) FROM OrleansStorage WHERE GrainIdExtensionString LIKE $soul";
        command.Parameters.AddWithValue("$soul", "%" + _soul.Split('/')[1] + "%");
        var rows = new Dictionary<string, (int, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows[reader.GetString(0) + " " + reader.GetString(1)] = (reader.GetInt32(2), reader.GetInt64(3));
        return rows;
    }

    [Fact]
    public async Task A_put_to_a_large_node_rewrites_only_the_page_of_its_key_and_all_keys_come_back()
    {
        await Fill(2_000, k => $"\"value {k}\"");
        var before = await Rows();
        // The node's row and its pages (2,000 keys at about 128 a page, doubling at 256: 8 pages).
        Assert.Equal(9, before.Count);
        Assert.All(before.Values, r => Assert.True(r.Bytes < 40_000, $"a row of {r.Bytes} bytes"));

        await Node.Put(new GunNodeDelta(_soul, new Dictionary<string, GunField> { ["k7"] = new("\"changed\"", _state + 1) }));
        var after = await Rows();
        var rewritten = after.Where(r => before[r.Key].Version != r.Value.Version).Select(r => r.Key).ToList();
        Assert.Single(rewritten);
        Assert.Contains(GunNodeStore.PageStateName, rewritten[0]);

        await fixture.Cluster.Cluster.DeactivateAsync(Node);
        var node = (await Node.Get())!;
        Assert.Equal(2_000, node.Fields.Count);
        Assert.Equal("\"changed\"", node.Fields["k7"].Value);
        Assert.Equal("\"value 1999\"", node.Fields["k1999"].Value);
    }

    [Fact]
    public async Task A_small_node_stays_in_one_row_and_grows_into_pages_without_losing_a_key()
    {
        await Fill(GunNodeStore.InlineKeys, k => k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(await Rows());
        for (var size = GunNodeStore.InlineKeys; size < 1_200; size += 100)
        {
            await Node.Put(new GunNodeDelta(_soul, Enumerable.Range(size, 100).ToDictionary(k => $"k{k}", k => new GunField("1", _state))));
            await fixture.Cluster.Cluster.DeactivateAsync(Node);
            Assert.Equal(size + 100, (await Node.Get())!.Fields.Count);
        }
    }

    [Fact]
    public async Task Removing_the_tombstones_of_a_paged_node_removes_its_rows()
    {
        await Fill(600, _ => GunTombstones.Null);
        Assert.True((await Rows()).Count > 1);
        var removal = await Node.RemoveTombstones(_state + 1);
        Assert.Equal(600, removal.Removed);
        Assert.True(removal.NodeDeleted);
        Assert.Empty(await Rows());
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansSync.Cells;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Silo.Hosting;
using Xunit;

namespace OrleansSync.Tests.Cluster;

/// <summary>
/// Reads never queue behind merges: while a merge waits for its storage write, reads answer at once with the
/// last stored state. The storage here holds writes at a gate the test opens (fault injection, like
/// Orleans' own FaultInjectionStorageProvider); durability itself is tested against SQLite and PostgreSQL.
/// </summary>
public sealed class ReadsDuringWriteTests
{
    [Fact]
    public async Task Reads_answer_while_a_merge_waits_for_its_write()
    {
        var storage = new GatedStorage();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansSyncGrains(new SiloSettings { Storage = StorageKind.Memory });
            silo.Services.AddKeyedSingleton<IGrainStorage>(CellStorage.ProviderName, storage);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var cell = cluster.Client.GetGrain<ICellGrain>("gated");

        storage.Open();
        await cell.Merge(new Interval(0, 10));
        storage.Close();

        var pending = cell.Merge(new Interval(2, 5));
        await storage.WriteArrived.WaitAsync(TimeSpan.FromSeconds(30));

        // The merge is stuck in its write; reads still answer, with the stored (not the pending) state.
        var snapshot = await cell.GetSnapshot().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new Interval(0, 10), snapshot.Content);
        Assert.Equal(1, snapshot.Metadata.Version);
        Assert.Equal(new Interval(0, 10), await cell.GetStrongest().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(pending.IsCompleted, "the merge must not be acknowledged before its write completes");

        storage.Open();
        var result = await pending;
        Assert.Equal(2, result.Version);
        Assert.Equal(new Interval(2, 5), await cell.GetContent());
    }

    private sealed class GatedStorage : IGrainStorage
    {
        private readonly object _lock = new();
        private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _writeArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WriteArrived { get { lock (_lock) return _writeArrived.Task; } }

        public void Open() { lock (_lock) _gate.TrySetResult(); }

        public void Close()
        {
            lock (_lock)
            {
                _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _writeArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Task gate;
            lock (_lock)
            {
                _writeArrived.TrySetResult();
                gate = _gate.Task;
            }
            await gate;
            grainState.ETag = Guid.NewGuid().ToString();
            grainState.RecordExists = true;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}

using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// Group commit: one connection runs every write, and the writes that queue while a transaction commits go into the
/// next one together, each inside a savepoint of its own. A write's caller hears back only after that transaction has
/// committed, so an acknowledged write is as durable as before; a write that fails is rolled back to its savepoint and
/// its caller gets the error, while the rest of the batch commits.
/// </summary>
public sealed class SqliteGroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 512;
    // AdoNet writes with a handful of query texts.
    private const int MaxPreparedTexts = 32;
    // Run on prepared statements: SqliteTransaction.Save and Release parse their statement anew each time, twice a write.
    private const string Save = "SAVEPOINT storage_write;";
    private const string Release = "RELEASE storage_write;";
    private const string RollbackToSave = "ROLLBACK TO storage_write;";

    private readonly Func<SqliteConnection> _open;
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PreparedCommands? _commands;
    private long _transactions;
    private long _writes;

    internal SqliteGroupCommit(Func<SqliteConnection> open)
    {
        _open = open;
        // A thread of its own: SQLite commits block (fsync), and on the thread pool they would hold up the silo's
        // other work — every message and propagator run waiting behind a commit.
        _writer = new Thread(Run) { IsBackground = true, Name = "SQLite group commit" };
        _writer.Start();
    }

    /// <summary>Transactions committed so far (each holding one or more writes).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Writes committed so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Queues <paramref name="text"/> with <paramref name="parameters"/> (run on the writer's own prepared statements)
    /// and completes with its result sets once the transaction that ran it has committed.
    /// </summary>
    internal Task<BufferedDataReader> Execute(string text, IReadOnlyList<StorageParameter> parameters, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new Write(text, parameters, new TaskCompletionSource<BufferedDataReader>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(SqliteGroupCommit), "SQLite storage is shut down.");
        return write.Done.Task;
    }

    private void Run()
    {
        try
        {
            var batch = new List<Write>(MaxBatch);
            // Waiting blocks this thread only, which exists for this.
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
                Commit(batch);
                batch.Clear();
            }
            Reset();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Reset()
    {
        _commands?.Dispose();
        _commands = null;
    }

    private void Commit(List<Write> batch)
    {
        var results = new BufferedDataReader?[batch.Count];
        var errors = new Exception?[batch.Count];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _commands ??= new PreparedCommands(_open(), MaxPreparedTexts);
            using var transaction = _commands.Connection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                _commands.ExecuteNonQuery(Save);
                try
                {
                    results[i] = _commands.Execute(batch[i].Text, batch[i].Parameters, transaction);
                    _commands.ExecuteNonQuery(Release);
                }
                catch (Exception error)
                {
                    _commands.ExecuteNonQuery(RollbackToSave);
                    _commands.ExecuteNonQuery(Release);
                    errors[i] = error;
                }
            }
            transaction.Commit();
        }
        catch (Exception error)
        {
            // Nothing of this batch is stored. The connection may be broken: the next batch opens a fresh one.
            Reset();
            StorageMetrics.GroupCommitFailures.Add(1);
            foreach (var write in batch) write.Done.TrySetException(error);
            return;
        }

        StorageMetrics.GroupCommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        StorageMetrics.GroupCommitBatch.Record(batch.Count);
        Interlocked.Increment(ref _transactions);
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } error) batch[i].Done.TrySetException(error);
            else
            {
                Interlocked.Increment(ref _writes);
                batch[i].Done.TrySetResult(results[i]!);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
    }

    private sealed record Write(string Text, IReadOnlyList<StorageParameter> Parameters, TaskCompletionSource<BufferedDataReader> Done);
}

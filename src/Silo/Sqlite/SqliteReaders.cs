using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// Connections kept open for grain reads, each with its query texts prepared once (<see cref="PreparedCommands"/>).
/// A grain activation reads its row once; with a fresh command each time SQLite parsed and planned the same SELECT for
/// every activation, and every pooled open set the busy handler again. A read takes an idle connection (or opens one), runs, buffers its
/// rows and gives the connection back, so reads still run in parallel with each other and with the writer (WAL).
/// </summary>
internal sealed class SqliteReaders(Func<SqliteConnection> open) : IDisposable
{
    // AdoNet reads with one query text; a few more leave room without letting the cache grow unchecked.
    private const int MaxPreparedTexts = 8;
    private readonly int _maxIdle = Math.Max(4, 2 * Environment.ProcessorCount);
    private readonly ConcurrentQueue<PreparedCommands> _idle = new();
    // Kept here: counting a concurrent collection takes its locks, and this is checked on every read.
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>Runs <paramref name="text"/> with <paramref name="parameters"/> and returns all its rows.</summary>
    public BufferedDataReader Execute(string text, IReadOnlyList<StorageParameter> parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PreparedCommands reader;
        if (_idle.TryDequeue(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            reader = idle;
        }
        else reader = new PreparedCommands(open(), MaxPreparedTexts);
        BufferedDataReader rows;
        try
        {
            rows = reader.Execute(text, parameters);
        }
        catch
        {
            // The connection may be what failed; a later read opens a fresh one.
            reader.Dispose();
            throw;
        }
        if (_disposed || Volatile.Read(ref _idleCount) >= _maxIdle) reader.Dispose();
        else
        {
            Interlocked.Increment(ref _idleCount);
            _idle.Enqueue(reader);
            // Disposed meanwhile: the drain may have run before this reader came back.
            if (_disposed) Drain();
        }
        return rows;
    }

    /// <summary>Closes the idle connections, giving back their page caches; reads open new ones on demand.</summary>
    public void ReleaseIdle() => Drain();

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryDequeue(out var reader))
        {
            Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
        }
    }
}

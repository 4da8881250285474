using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using OrleansSync.GunGateway.Protocol;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// One WebSocket connection: a queue of outgoing text frames drained by one writer, so sends never
/// interleave, and what queued meanwhile goes out as one frame. A peer that does not keep up is disconnected rather
/// than buffered without bound.
/// </summary>
public sealed class GunPeer(WebSocket socket, int maxQueued)
{
    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(new BoundedChannelOptions(maxQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    public WebSocket Socket => socket;

    /// <summary>Souls this connection subscribed to by getting them: what its disconnect has to undo, and no more.</summary>
    public ConcurrentDictionary<string, byte> WatchedSouls { get; } = new(StringComparer.Ordinal);

    /// <summary>Cells (under <c>sync/cells/</c>) this connection watches.</summary>
    public ConcurrentDictionary<string, byte> WatchedCells { get; } = new(StringComparer.Ordinal);

    /// <summary>Listings and machine nodes under sync/ this peer read (<see cref="SyncListings"/> refreshes them).</summary>
    public ConcurrentDictionary<string, byte> WatchedListings { get; } = new(StringComparer.Ordinal);

    public bool Send(string frame)
    {
        if (_outgoing.Writer.TryWrite(frame)) return true;
        Close();
        return false;
    }

    private volatile bool _closed;

    /// <summary>Closed: sends are dropped, and what subscribes it after its disconnect undoes itself (see <see cref="SoulSubscriptions"/>).</summary>
    public bool Closed => _closed;

    public void Close()
    {
        _closed = true;
        _outgoing.Writer.TryComplete();
    }

    // What one frame carries at most when several are queued: far below any peer's frame limit (gun's is megabytes).
    private const int MaxBatchFrames = 128;
    private const int MaxBatchChars = 64 * 1024;

    /// <summary>Writes queued frames until the peer closes or is closed; those queued meanwhile go as one (<see cref="GunBatch"/>).</summary>
    public async Task WriteLoop(CancellationToken cancellationToken)
    {
        var batch = new List<string>(MaxBatchFrames);
        var buffer = new FrameBuffer(4096, 4 * MaxBatchChars);
        try
        {
            var reader = _outgoing.Reader;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                if (socket.State != WebSocketState.Open) break;
                batch.Clear();
                var chars = 0;
                while (batch.Count < MaxBatchFrames && chars < MaxBatchChars && reader.TryRead(out var frame))
                {
                    batch.Add(frame);
                    chars += frame.Length;
                }
                if (batch.Count == 0) continue;
                var bytes = buffer.Next();
                GunBatch.Write(batch, bytes);
                await socket.SendAsync(bytes.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken);
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is gone; the read loop cleans up.
        }
    }
}

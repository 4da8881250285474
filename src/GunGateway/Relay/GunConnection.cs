using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using OrleansSync.GunGateway.Protocol;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// The transport shell around <see cref="GunRelay"/>: reads text frames (bounded in size), hands each
/// message to the relay with bounded concurrency and in the connection's order per soul (<see cref="SoulLanes"/>),
/// sends the handshake and heartbeats, and cleans up.
/// </summary>
public sealed partial class GunConnection(GunRelay relay, SoulSubscriptions subscriptions, SyncNamespace sync, TimeProvider clock, ILogger<GunConnection> logger)
{
    /// <summary>Serves one connection until it closes; <paramref name="place"/> (its place under the connection limits) is given back as it closes.</summary>
    public async Task Run(WebSocket socket, CancellationToken stopping, IDisposable? place = null)
    {
        var options = relay.Options;
        var peer = new GunPeer(socket, options.MaxQueuedPerConnection);
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var writer = peer.WriteLoop(closing.Token);
        var heartbeat = Heartbeat(peer, options.Heartbeat, closing.Token);
        var inFlight = new SemaphoreSlim(options.MaxConcurrentPerConnection);
        var lanes = new SoulLanes();
        var rate = new MessageRate(options.MaxMessagesPerSecond, options.MessageBurst);
        var opened = clock.GetTimestamp();
        var buffer = new FrameBuffer(FrameBufferBytes, FrameBufferBytes * 8);
        LogConnected(peer.Id);
        GatewayMetrics.Connections.Add(1);
        peer.Send(GunReplies.Hello(relay.Pid));
        try
        {
            while (socket.State == WebSocketState.Open && !closing.IsCancellationRequested)
            {
                var frame = await ReadFrame(socket, buffer.Next(), options.MaxFrameBytes, closing.Token);
                if (frame is null) break;
                if (frame.Value.TooBig)
                {
                    LogFrameTooBig(peer.Id, options.MaxFrameBytes);
                    GatewayMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "size"));
                    peer.Send(GunReplies.Dam("Message too big!"));
                    break;
                }
                using var parsed = GunFrame.Parse(frame.Value.Bytes);
                if (parsed.Error is not null)
                {
                    LogBadFrame(peer.Id, parsed.Error);
                    peer.Send(GunReplies.Dam(parsed.Error));
                }
                var flooding = false;
                foreach (var json in parsed.Messages)
                {
                    if (!rate.TryTake(clock.GetElapsedTime(opened).TotalSeconds))
                    {
                        LogTooManyMessages(peer.Id, options.MaxMessagesPerSecond);
                        GatewayMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "rate"));
                        peer.Send(GunReplies.Dam($"Too many messages: at most {options.MaxMessagesPerSecond} per second. Closing."));
                        flooding = true;
                        break;
                    }
                    var message = new GunMessage(json.Clone());
                    // Admitted here, in the order sent: of several messages with one id, the first wins.
                    if (relay.Admit(message) is not { } id) continue;
                    await inFlight.WaitAsync(closing.Token);
                    _ = lanes.Run(message.Souls, async () =>
                    {
                        try
                        {
                            await relay.Handle(peer, message, id);
                        }
                        finally
                        {
                            inFlight.Release();
                        }
                    });
                }
                if (flooding) break;
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
            // Closed by the peer or by shutdown.
        }
        finally
        {
            Release(peer);
            GatewayMetrics.Connections.Add(-1);
            // What is queued (a last error telling the peer why it is closed) goes out first, unless the peer is stuck.
            try
            {
                await writer.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            catch (TimeoutException)
            {
            }
            await closing.CancelAsync();
            await Task.WhenAll(writer, heartbeat);
            // Before the peer hears the close: a peer that reconnects at once finds its place free.
            place?.Dispose();
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
                }
                catch (Exception)
                {
                    // Best effort.
                }
            }
            LogDisconnected(peer.Id);
        }
    }

    private static async Task Heartbeat(GunPeer peer, TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                peer.Send("[]");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private readonly record struct Frame(ReadOnlyMemory<byte> Bytes, bool TooBig);

    // A connection reads every frame into one buffer: a new one per frame cost 12 KB of garbage for a put of a few
    // hundred bytes.
    private const int FrameBufferBytes = 8192;

    /// <summary>
    /// One whole text frame, in <paramref name="buffer"/> (empty) until the next read (parsed messages are cloned out
    /// of it); null when the peer closed.
    /// </summary>
    private static async Task<Frame?> ReadFrame(WebSocket socket, ArrayBufferWriter<byte> buffer, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var memory = buffer.GetMemory(FrameBufferBytes / 2);
            var result = await socket.ReceiveAsync(memory, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > maxBytes) return new Frame(default, true);
            if (result.EndOfMessage) return new Frame(buffer.WrittenMemory, false);
        }
    }

    /// <summary>
    /// A closed peer lets go of what it watched: costs what that peer watched, not what the gateway holds. Closed first:
    /// a get still in flight that subscribes after the drops undoes itself.
    /// </summary>
    public void Release(GunPeer peer)
    {
        peer.Close();
        subscriptions.Drop(peer);
        sync.Drop(peer);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Gun peer {PeerId} connected")]
    private partial void LogConnected(string peerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Gun peer {PeerId} disconnected")]
    private partial void LogDisconnected(string peerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gun peer {PeerId} sent a frame over {Limit} bytes; closing the connection")]
    private partial void LogFrameTooBig(string peerId, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gun peer {PeerId} sent more than {Limit} messages per second; closing the connection")]
    private partial void LogTooManyMessages(string peerId, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gun peer {PeerId} sent a bad frame: {Error}")]
    private partial void LogBadFrame(string peerId, string error);
}

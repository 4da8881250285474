using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Gun;
using OrleansSync.GunGateway.Hosting;
using OrleansSync.GunGateway.Protocol;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// What the relay does with each message (the transport is <see cref="GunConnection"/>): the <c>dam</c>
/// handshake, gets (answered with data or an explicit not-found, and subscribing the asker), and puts
/// (validated, resolved by the soul grains with HAM, acknowledged once stored, pushed to subscribers).
/// Bad input gets an error reply and touches nothing else; a cluster that does not answer within the deadline gets
/// the peer an <c>err</c> then, not when Orleans gives up; nothing internal is sent to peers.
/// </summary>
public sealed partial class GunRelay(
    GunNodeReferences nodes,
    SoulSubscriptions subscriptions,
    SyncNamespace sync,
    AckRoutes acks,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    ILogger<GunRelay> logger,
    IGunNodeCreator? creator = null)
{
    private readonly MessageDedup _dedup = new(TimeSpan.FromSeconds(9), 1_000_000);
    private readonly SeaCheck _sea = new(async (soul, key) =>
    {
        if ((await nodes[soul].Get())?.Fields.TryGetValue(key, out var field) != true) return null;
        using var value = JsonDocument.Parse(field!.Value);
        return value.RootElement.Clone();
    });
    private readonly GunLimits _limits = new(
        options.Value.MaxSoulsPerPut, options.Value.MaxSoulLength, options.Value.MaxKeyLength, options.Value.MaxFutureSkew.TotalMilliseconds);

    public MessageDedup Dedup => _dedup;

    /// <summary>This relay's pid for the handshake.</summary>
    public string Pid { get; } = GunIds.New();

    public GatewayOptions Options => options.Value;

    /// <summary>The message's id when it is the first with that id (a message without one gets one); null for a repeat.</summary>
    public string? Admit(GunMessage message)
    {
        var id = message.Id ?? GunIds.New();
        if (_dedup.FirstTime(id, clock.GetUtcNow().ToUnixTimeMilliseconds())) return id;
        GatewayMetrics.Messages.Add(1, Kind("repeat"));
        return null;
    }

    public async Task Handle(GunPeer peer, GunMessage message, string id)
    {
        var reply = new GunReply(peer);
        try
        {
            if (message.Dam is { } dam)
            {
                GatewayMetrics.Messages.Add(1, Kind("dam"));
                // A peer's handshake is answered; its pid would only matter for relay-to-relay links, which this relay does not make.
                if (dam == "?" && message.ReplyTo is null) peer.Send(GunReplies.HelloReply(Pid, id));
                return;
            }
            if (message.ReplyTo is { } pushId)
            {
                GatewayMetrics.Messages.Add(1, Kind("ack"));
                // An ack of one of our pushes goes back to whoever wrote what was pushed.
                if (message.Json.TryGetProperty("ok", out var ok) && acks.TryFindOrigin(pushId, out var origin))
                    subscriptions.RouteSubscriberAck(origin, ok.GetRawText());
                return;
            }
            if (message.Get is { } get)
            {
                GatewayMetrics.Messages.Add(1, Kind("get"));
                await WithinDeadline(HandleGet(peer, reply, id, get), reply, peer, id);
            }
            else if (message.Put is { } put)
            {
                GatewayMetrics.Messages.Add(1, Kind("put"));
                var started = clock.GetTimestamp();
                try
                {
                    await WithinDeadline(HandlePut(peer, reply, id, put), reply, peer, id);
                }
                finally
                {
                    GatewayMetrics.PutDuration.Record(clock.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }
        catch (TimeoutException)
        {
            // Orleans' own response timeout: the store did not answer either.
            LogDeadlinePassed(peer.Id, id, Options.RequestDeadline);
            Err(reply, id, "deadline", DeadlineText);
        }
        catch (Exception error) when (IsClusterFailure(error))
        {
            LogClusterUnavailable(peer.Id, id, error.GetBaseException().Message);
            Err(reply, id, "unavailable", "Error: The store is unavailable; try again.");
        }
        catch (Exception error)
        {
            // The peer gets a reference to the log line, never the exception's text.
            var reference = GunIds.New();
            LogHandlingFailed(error, peer.Id, id, reference);
            Err(reply, id, "internal", $"Error: The relay failed to handle this message (ref {reference}).");
        }
    }

    private string DeadlineText => $"Error: The store did not answer within {Options.RequestDeadline.TotalSeconds:0.#} s; try again.";

    /// <summary>Answers with an err of a <paramref name="kind"/> the metrics count (invalid, refused, unavailable, deadline, internal).</summary>
    private static void Err(GunReply reply, string id, string kind, string text)
    {
        GatewayMetrics.Errors.Add(1, Kind(kind));
        reply.Send(GunReplies.Error(id, text));
    }

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);

    /// <summary>
    /// Answers with an err once the deadline passes, then still waits for the work: the connection's order (its lane)
    /// and its bound on messages in flight hold until the work has really ended, and the late result is not sent.
    /// </summary>
    private async Task WithinDeadline(Task work, GunReply reply, GunPeer peer, string id)
    {
        try
        {
            await work.WaitAsync(Options.RequestDeadline);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            LogDeadlinePassed(peer.Id, id, Options.RequestDeadline);
            Err(reply, id, "deadline", DeadlineText);
            try
            {
                await work;
            }
            catch (Exception late)
            {
                LogLateFailure(peer.Id, id, late.GetBaseException().Message);
            }
        }
    }

    /// <summary>Orleans could not reach a silo, or a silo went away while the call was in flight.</summary>
    private static bool IsClusterFailure(Exception error) =>
        error.GetBaseException() is OrleansException or SiloUnavailableException or System.Net.Sockets.SocketException or IOException ||
        error.GetBaseException().GetType().Namespace?.StartsWith("Orleans", StringComparison.Ordinal) == true;

    private async Task HandleGet(GunPeer peer, GunReply reply, string id, JsonElement get)
    {
        if (get.ValueKind != JsonValueKind.Object || !get.TryGetProperty("#", out var soulElement) || soulElement.ValueKind != JsonValueKind.String)
        {
            // Lexical soul queries need a store that can range over souls; answer "not found" rather than hang the client.
            reply.Send(GunReplies.NotFound(id));
            return;
        }
        var soul = soulElement.GetString()!;
        if (_limits.CheckSoul(soul) is { } badSoul)
        {
            Err(reply, id, "invalid", badSoul);
            return;
        }
        // A lexical key (an object) is answered with the whole node: clients filter lexical chains themselves.
        var key = get.TryGetProperty(".", out var keyElement) && keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString() : null;
        var address = SyncAddress.Parse(soul);
        var node = address.IsSync && !address.IsStoredAsGunNode
            ? await sync.Get(peer, soul)
            : await subscriptions.Subscribe(peer, soul, key);
        if (node is null)
        {
            reply.Send(GunReplies.NotFound(id));
            return;
        }
        if (key is null)
        {
            reply.Send(GunReplies.Data(id, node));
            return;
        }
        reply.Send(node.Fields.TryGetValue(key, out var field)
            ? GunReplies.Data(id, new GunNodeDelta(soul, new Dictionary<string, GunField> { [key] = field }))
            : GunReplies.NotFound(id));
    }

    private async Task HandlePut(GunPeer peer, GunReply reply, string id, JsonElement put)
    {
        var graph = GunGraph.Parse(put, _limits, clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (graph.Error is not null)
        {
            LogBadPut(peer.Id, id, graph.Error);
            Err(reply, id, "invalid", graph.Error);
            return;
        }
        var written = graph.Nodes;
        if (Options.VerifySea && graph.Nodes.Any(n => SeaCheck.NeedsCheck(n.Soul)))
        {
            var verdict = await _sea.Check(put, clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (verdict.Error is not null)
            {
                // Nothing of the message is stored, as with gun's relay.
                LogBadPut(peer.Id, id, verdict.Error);
                Err(reply, id, "unverified", verdict.Error);
                return;
            }
            if (verdict.Dropped.Count > 0)
                written = [.. graph.Nodes.Select(n => new GunNodeDelta(n.Soul, n.Fields.Where(f => !verdict.Dropped.Contains((n.Soul, f.Key))).ToDictionary()))
                    .Where(n => n.Fields.Count > 0)];
        }
        // Only now, with every check passed, anything takes effect: sync/ contributions first (they may still refuse).
        if (written.Any(n => SyncAddress.Parse(n.Soul).IsSync) && await sync.Accept(written) is { } refused)
        {
            LogBadPut(peer.Id, id, refused);
            Err(reply, id, "refused", refused);
            return;
        }
        // Only what is stored as Gun nodes goes to soul grains (content nodes keep each contributor's last increment).
        acks.RememberWriter(id, peer);
        var origin = new GunWriteOrigin(subscriptions.Reference, id);
        var results = await Task.WhenAll(written.Select(n => (Node: n, Address: SyncAddress.Parse(n.Soul)))
            .Where(n => n.Address is { IsSync: false } or { IsStoredAsGunNode: true })
            .Select(n => Put(n.Node, n.Address.IsSync, origin)));
        if (results.FirstOrDefault(r => r.Refused is not null)?.Refused is { } refusal)
        {
            // That node stored nothing of this put; the message's other nodes took theirs.
            LogBadPut(peer.Id, id, refusal);
            Err(reply, id, "refused", refusal);
            return;
        }
        // Every key is now stored (or stored as pending, or lost by HAM): one ack for the whole message.
        if (reply.Send(GunReplies.Ack(id))) GatewayMetrics.Acks.Add(1);
    }

    /// <summary>
    /// A node's part of a put: stored without an activation when this process may (<see cref="IGunNodeCreator"/>: a first
    /// write to a node nobody holds, which no subscriber can be waiting on), else by its grain.
    /// </summary>
    private async Task<GunPutResult> Put(GunNodeDelta node, bool isSync, GunWriteOrigin origin)
    {
        if (creator is not null && !isSync && await creator.TryCreate(node))
            return new GunPutResult([.. node.Fields.Keys], [], []);
        return await nodes[node.Soul].Put(node, origin);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling message {MessageId} from peer {PeerId} failed (ref {Reference})")]
    private partial void LogHandlingFailed(Exception error, string peerId, string messageId, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} from peer {PeerId}: the cluster did not answer within {Deadline}")]
    private partial void LogDeadlinePassed(string peerId, string messageId, TimeSpan deadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} from peer {PeerId} failed after its deadline: {Reason}")]
    private partial void LogLateFailure(string peerId, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} from peer {PeerId}: the cluster is unavailable ({Reason})")]
    private partial void LogClusterUnavailable(string peerId, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused put {MessageId} from peer {PeerId}: {Error}")]
    private partial void LogBadPut(string peerId, string messageId, string error);
}

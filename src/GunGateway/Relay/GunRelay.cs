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
/// Bad input gets an error reply and touches nothing else.
/// </summary>
public sealed partial class GunRelay(
    GunNodeReferences nodes,
    SoulSubscriptions subscriptions,
    SyncNamespace sync,
    AckRoutes acks,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    ILogger<GunRelay> logger)
{
    private readonly MessageDedup _dedup = new(TimeSpan.FromSeconds(9), 1_000_000);

    public MessageDedup Dedup => _dedup;

    /// <summary>This relay's pid for the handshake.</summary>
    public string Pid { get; } = GunIds.New();

    public GatewayOptions Options => options.Value;

    public async Task Handle(GunPeer peer, JsonElement json)
    {
        var message = new GunMessage(json);
        var id = message.Id ?? GunIds.New();
        if (!_dedup.FirstTime(id, clock.GetUtcNow().ToUnixTimeMilliseconds())) return;
        try
        {
            if (message.Dam is { } dam)
            {
                // A peer's handshake is answered; its pid would only matter for relay-to-relay links, which this relay does not make.
                if (dam == "?" && message.ReplyTo is null) peer.Send(GunReplies.HelloReply(Pid, id));
                return;
            }
            if (message.ReplyTo is { } pushId)
            {
                // An ack of one of our pushes goes back to whoever wrote what was pushed.
                if (json.TryGetProperty("ok", out var ok) && acks.TryFindOrigin(pushId, out var origin))
                    subscriptions.RouteSubscriberAck(origin, ok.GetRawText());
                return;
            }
            if (message.Get is { } get) await HandleGet(peer, id, get);
            else if (message.Put is { } put) await HandlePut(peer, id, put);
        }
        catch (Exception error)
        {
            LogHandlingFailed(error, peer.Id, id);
            peer.Send(GunReplies.Error(id, "Relay error: " + error.GetBaseException().Message));
        }
    }

    private async Task HandleGet(GunPeer peer, string id, JsonElement get)
    {
        if (get.ValueKind != JsonValueKind.Object || !get.TryGetProperty("#", out var soulElement) || soulElement.ValueKind != JsonValueKind.String)
        {
            // Lexical soul queries need a store that can range over souls; answer "not found" rather than hang the client.
            peer.Send(GunReplies.NotFound(id));
            return;
        }
        var soul = soulElement.GetString()!;
        // A lexical key (an object) is answered with the whole node: clients filter lexical chains themselves.
        var key = get.TryGetProperty(".", out var keyElement) && keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString() : null;
        var node = SyncNamespace.Owns(soul) && !SyncNamespace.IsStoredAsGunNode(soul)
            ? await sync.Get(peer, soul)
            : await subscriptions.Subscribe(peer, soul, key);
        if (node is null)
        {
            peer.Send(GunReplies.NotFound(id));
            return;
        }
        if (key is null)
        {
            peer.Send(GunReplies.Data(id, node));
            return;
        }
        peer.Send(node.Fields.TryGetValue(key, out var field)
            ? GunReplies.Data(id, new GunNodeDelta(soul, new Dictionary<string, GunField> { [key] = field }))
            : GunReplies.NotFound(id));
    }

    private async Task HandlePut(GunPeer peer, string id, JsonElement put)
    {
        var graph = GunGraph.Parse(put, Options.MaxSoulsPerPut);
        if (graph.Error is not null)
        {
            LogBadPut(peer.Id, id, graph.Error);
            peer.Send(GunReplies.Error(id, graph.Error));
            return;
        }
        if (graph.Nodes.Any(n => SyncNamespace.Owns(n.Soul)) && await sync.Accept(graph.Nodes) is { } refused)
        {
            LogBadPut(peer.Id, id, refused);
            peer.Send(GunReplies.Error(id, refused));
            return;
        }
        // Only what is stored as Gun nodes goes to soul grains (content nodes keep each contributor's last increment).
        acks.RememberWriter(id, peer);
        var origin = new GunWriteOrigin(subscriptions.Reference, id);
        await Task.WhenAll(graph.Nodes.Where(n => !SyncNamespace.Owns(n.Soul) || SyncNamespace.IsStoredAsGunNode(n.Soul))
            .Select(node => nodes[node.Soul].Put(node, origin)));
        // Every key is now stored (or stored as pending, or lost by HAM): one ack for the whole message.
        peer.Send(GunReplies.Ack(id));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling message {MessageId} from peer {PeerId} failed")]
    private partial void LogHandlingFailed(Exception error, string peerId, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused put {MessageId} from peer {PeerId}: {Error}")]
    private partial void LogBadPut(string peerId, string messageId, string error);
}

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// The one answer a message gets. The first frame sent wins: when the deadline passes, the peer gets its err at once
/// and the result that comes later is dropped, so no message is answered twice.
/// </summary>
public sealed class GunReply(GunPeer peer)
{
    private int _sent;

    public bool Send(string frame) => Interlocked.Exchange(ref _sent, 1) == 0 && peer.Send(frame);
}

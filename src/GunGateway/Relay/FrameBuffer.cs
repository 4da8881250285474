using System.Buffers;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// A connection's byte buffer for one frame at a time, reused from frame to frame: a new one per frame was garbage
/// on every message. A buffer that a large frame grew past <paramref name="keepBytes"/> is let go rather than kept for
/// the connection's life.
/// </summary>
internal sealed class FrameBuffer(int initialBytes, int keepBytes)
{
    private ArrayBufferWriter<byte> _bytes = new(initialBytes);

    /// <summary>The buffer, emptied for the next frame.</summary>
    public ArrayBufferWriter<byte> Next()
    {
        if (_bytes.Capacity > keepBytes) _bytes = new ArrayBufferWriter<byte>(initialBytes);
        else _bytes.ResetWrittenCount();
        return _bytes;
    }
}

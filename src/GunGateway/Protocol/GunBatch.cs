using System.Buffers;
using System.Text;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Outgoing frames that queued meanwhile, sent as one: gun's mesh does the same (one JSON array of messages per frame)
/// and reads it so. A frame per message cost a send, a WebSocket header and a byte array each.
/// </summary>
public static class GunBatch
{
    /// <summary>
    /// Writes <paramref name="frames"/> (each a message object or an array of them) to <paramref name="output"/> as
    /// one frame: a single frame as it is, several as one array of all their messages in order. Empty arrays (the
    /// heartbeat) add nothing.
    /// </summary>
    public static void Write(IReadOnlyList<string> frames, IBufferWriter<byte> output)
    {
        if (frames.Count == 1)
        {
            Encoding.UTF8.GetBytes(frames[0], output);
            return;
        }
        output.Write("["u8);
        var first = true;
        foreach (var frame in frames)
        {
            var messages = Messages(frame);
            if (messages.IsEmpty) continue;
            if (!first) output.Write(","u8);
            Encoding.UTF8.GetBytes(messages, output);
            first = false;
        }
        output.Write("]"u8);
    }

    // An array frame gives its items (the text between its brackets); an object is one message.
    private static ReadOnlySpan<char> Messages(string frame)
    {
        var text = frame.AsSpan().Trim();
        return text is ['[', .., ']'] ? text[1..^1].Trim() : text;
    }
}

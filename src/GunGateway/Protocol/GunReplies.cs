using System.Text;
using System.Text.Json;
using OrleansSync.Gun;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>The messages the relay sends, as JSON text. Values are written as the raw JSON they were stored as.</summary>
public static class GunReplies
{
    public static string Ack(string replyTo, string ok = "1") => $"{{\"#\":\"{GunIds.New()}\",\"@\":{Quote(replyTo)},\"ok\":{ok}}}";

    public static string Error(string replyTo, string error) => $"{{\"#\":\"{GunIds.New()}\",\"@\":{Quote(replyTo)},\"err\":{Quote(error)}}}";

    public static string NotFound(string replyTo) => $"{{\"#\":\"{GunIds.New()}\",\"@\":{Quote(replyTo)}}}";

    public static string Dam(string error) => $"{{\"#\":\"{GunIds.New()}\",\"dam\":\"!\",\"err\":{Quote(error)}}}";

    public static string Hello(string pid) => $"{{\"#\":\"{GunIds.New()}\",\"dam\":\"?\",\"pid\":{Quote(pid)}}}";

    public static string HelloReply(string pid, string replyTo) => $"{{\"#\":\"{GunIds.New()}\",\"dam\":\"?\",\"pid\":{Quote(pid)},\"@\":{Quote(replyTo)}}}";

    /// <summary>A reply to a get: the node's requested keys.</summary>
    public static string Data(string replyTo, GunNodeDelta node) =>
        $"{{\"#\":\"{GunIds.New()}\",\"@\":{Quote(replyTo)},\"put\":{Graph(node)}}}";

    /// <summary>A change pushed to a subscriber.</summary>
    public static string Push(string id, GunNodeDelta node) => $"{{\"#\":{Quote(id)},\"put\":{Graph(node)}}}";

    public static string Graph(GunNodeDelta node)
    {
        var soul = Quote(node.Soul);
        var text = new StringBuilder(64 + node.Fields.Count * 48);
        text.Append('{').Append(soul).Append(":{\"_\":{\"#\":").Append(soul).Append(",\">\":{");
        var first = true;
        foreach (var (key, field) in node.Fields)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append(Quote(key)).Append(':').Append(JsonSerializer.Serialize(field.State));
        }
        text.Append("}}");
        foreach (var (key, field) in node.Fields) text.Append(',').Append(Quote(key)).Append(':').Append(field.Value);
        return text.Append("}}").ToString();
    }

    private static string Quote(string text) => GunValues.Text(text);
}

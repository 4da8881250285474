using System.Text.Json;

namespace OrleansSync.Lattice.Json;

/// <summary>The stored format of every built-in type; the tags are part of the storage contract.</summary>
internal static class BuiltInCodecs
{
    public static PartialInfoCodec Register(PartialInfoCodec codec) => codec
        .Register<Nothing>("nothing", (_, _, _) => { }, (_, _) => Nothing.Instance)
        .Register<NumberValue>("number", (w, v, _) => w.WriteDouble("v", v.Value), (e, _) => new NumberValue(e.GetDoubleOrNamed("v")))
        .Register<TextValue>("text", (w, v, _) => w.WriteString("v", v.Value), (e, _) => new TextValue(e.GetRequiredString("v")))
        .Register<BoolValue>("bool", (w, v, _) => w.WriteBoolean("v", v.Value), (e, _) => new BoolValue(e.GetProperty("v").GetBoolean()))
        .Register<Contradiction>("contradiction",
            (w, v, _) => { w.WriteString("reason", v.Reason); w.WriteStrings("premises", v.Premises.Items); },
            (e, _) => new Contradiction(e.GetRequiredString("reason"), PremiseSet.Of(e.GetStrings("premises"))))
        .Register<Interval>("interval",
            (w, v, _) => { w.WriteDouble("lo", v.Lo); w.WriteDouble("hi", v.Hi); },
            (e, _) => new Interval(e.GetDoubleOrNamed("lo"), e.GetDoubleOrNamed("hi")))
        .Register<MaxValue>("max", (w, v, _) => w.WriteDouble("v", v.Value), (e, _) => new MaxValue(e.GetDoubleOrNamed("v")))
        .Register<MinValue>("min", (w, v, _) => w.WriteDouble("v", v.Value), (e, _) => new MinValue(e.GetDoubleOrNamed("v")))
        .Register<GrowSet>("gset", (w, v, _) => w.WriteStrings("items", v.Items), (e, _) => GrowSet.Of(e.GetStrings("items")))
        .Register<Supported>("supported", WriteSupported, ReadSupported)
        .Register<Tms>("tms",
            (w, v, c) => WriteArray(w, "entries", v.Entries, e => WriteSupportedBody(w, e, c)),
            (e, c) => Tms.Of(e.GetProperty("entries").EnumerateArray().Select(x => ReadSupported(x, c))))
        .Register<ClockedValues>("clocked",
            (w, v, c) => WriteArray(w, "entries", v.Entries, entry =>
            {
                w.WriteStartObject();
                w.WriteStartObject("clock");
                foreach (var (source, counter) in entry.Clock.Counters) w.WriteNumber(source, counter);
                w.WriteEndObject();
                w.WritePropertyName("value");
                c.Write(w, entry.Value);
                w.WriteEndObject();
            }),
            (e, c) => ClockedValues.Of(e.GetProperty("entries").EnumerateArray().Select(x => new ClockedEntry(
                VectorClock.Of(x.GetProperty("clock").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64()))),
                c.Read(x.GetProperty("value"))))))
        .Register<CarriedCell>("carried", WriteCarried, ReadCarried)
        .Register<Closure>("closure", WriteClosure, ReadClosure);

    private static void WriteCarried(Utf8JsonWriter writer, CarriedCell value, PartialInfoCodec codec)
    {
        writer.WriteString("structure", value.Structure == CarriedStructure.List ? "list" : "map");
        writer.WriteStartObject("children");
        foreach (var binding in value.Bindings) writer.WriteStrings(binding.Key, binding.Cells);
        writer.WriteEndObject();
    }

    private static CarriedCell ReadCarried(JsonElement element, PartialInfoCodec codec)
    {
        var structure = element.GetRequiredString("structure") switch
        {
            "map" => CarriedStructure.Map,
            "list" => CarriedStructure.List,
            var other => throw new JsonException($"Unknown carried-cell structure \"{other}\"."),
        };
        return CarriedCell.Of(structure, element.GetProperty("children").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateArray().Select(c => (p.Name, c.GetString() ?? throw new JsonException("A child cell id must be a string.")))));
    }

    private static void WriteClosure(Utf8JsonWriter writer, Closure value, PartialInfoCodec codec)
    {
        writer.WriteString("name", value.Name);
        writer.WriteStrings("inputs", value.Inputs);
        writer.WriteStrings("outputs", value.Outputs);
        WriteArray(writer, "body", value.Body, step =>
        {
            writer.WriteStartObject();
            writer.WriteString("op", step.Operator);
            writer.WriteStrings("in", step.Inputs);
            writer.WriteStrings("out", step.Outputs);
            WriteArray(writer, "args", step.Arguments, a => codec.Write(writer, a));
            writer.WriteEndObject();
        });
        writer.WriteStrings("env", value.Environments);
    }

    private static Closure ReadClosure(JsonElement element, PartialInfoCodec codec) => new(
        element.GetRequiredString("name"),
        element.GetStrings("inputs"),
        element.GetStrings("outputs"),
        element.GetProperty("body").EnumerateArray().Select(s => new ClosureStep(
            s.GetRequiredString("op"), [.. s.GetStrings("in")], [.. s.GetStrings("out")],
            [.. s.GetProperty("args").EnumerateArray().Select(codec.Read)])),
        element.GetStrings("env"));

    private static void WriteSupported(Utf8JsonWriter writer, Supported value, PartialInfoCodec codec)
    {
        writer.WritePropertyName("value");
        codec.Write(writer, value.Value);
        writer.WriteStrings("support", value.Support.Items);
    }

    private static void WriteSupportedBody(Utf8JsonWriter writer, Supported value, PartialInfoCodec codec)
    {
        writer.WriteStartObject();
        WriteSupported(writer, value, codec);
        writer.WriteEndObject();
    }

    private static Supported ReadSupported(JsonElement element, PartialInfoCodec codec) =>
        new(codec.Read(element.GetProperty("value")), PremiseSet.Of(element.GetStrings("support")));

    private static void WriteArray<T>(Utf8JsonWriter writer, string name, IEnumerable<T> items, Action<T> writeItem)
    {
        writer.WriteStartArray(name);
        foreach (var item in items) writeItem(item);
        writer.WriteEndArray();
    }
}

using System.Globalization;

namespace OrleansSync.Lattice;

// Plain values: merging two equal ones changes nothing, two different ones is a contradiction.
// That rule is the registry's default, so these types need no handlers of their own.

[GenerateSerializer, Immutable, Alias("os.number")]
public sealed class NumberValue(double value) : PartialInfo
{
    [Id(0)] internal readonly double _value = value;

    public double Value => _value;

    public override bool Equals(object? obj) => obj is NumberValue n && n.Value.Equals(Value);

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

[GenerateSerializer, Immutable, Alias("os.text")]
public sealed class TextValue(string value) : PartialInfo
{
    [Id(0)] internal readonly string _value = value;

    public string Value => _value;

    public override bool Equals(object? obj) => obj is TextValue t && string.Equals(t.Value, Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => $"\"{Value}\"";
}

[GenerateSerializer, Immutable, Alias("os.bool")]
public sealed class BoolValue(bool value) : PartialInfo
{
    public static readonly BoolValue True = new(true);
    public static readonly BoolValue False = new(false);

    [Id(0)] internal readonly bool _value = value;

    public bool Value => _value;

    public override bool Equals(object? obj) => obj is BoolValue b && b.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Value ? "true" : "false";
}

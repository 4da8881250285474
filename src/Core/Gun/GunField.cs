namespace OrleansSync.Gun;

/// <summary>
/// One key of a Gun node: its value as the JSON text the writer sent (null, a string, a boolean, a finite
/// number, or a link <c>{"#":"soul"}</c>) and its HAM state (milliseconds since the epoch, fractional).
/// The text is kept as received because HAM breaks ties by comparing JSON texts, as gun does.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.gun-field")]
public sealed class GunField(string value, double state) : IEquatable<GunField>
{
    // Internal fields: the serializer is generated in OrleansSync.GrainInterfaces (see CoreSerialization there).
    [Id(0)] internal readonly string _value = value;
    [Id(1)] internal readonly double _state = state;

    public string Value => _value;

    public double State => _state;

    public bool Equals(GunField? other) => other is not null && other._value == _value && other._state.Equals(_state);

    public override bool Equals(object? obj) => Equals(obj as GunField);

    public override int GetHashCode() => HashCode.Combine(_value, _state);

    public static bool operator ==(GunField? a, GunField? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(GunField? a, GunField? b) => !(a == b);

    public override string ToString() => $"{_value}@{_state}";
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansSync.GunGateway.Protocol;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>SEA's rules on the relay, without sockets: a signature captured from a real gun client, and forgeries of it.</summary>
public sealed class SeaCheckTests
{
    // Captured from gun@0.2020.1241 (../shared/docs/gun-wire-protocol.md §6): Alice's signed profile name.
    private const string Pub = "OZRCnoamNk2JkQcckSWNWsvLpcCHXH7ZSkkJKFpNT0Q.j7hvg7q7Ye187AQVKFh2gv-uNDrO4Gtk4Odjie7f0kc";
    private const string Soul = "~" + Pub + "/profile";
    private const string Signed = """{":":"Alice","~":"9aYmFaEi04Se5wRkhNjpj4mTWqDekAdLLJ/M1ovaTv0BfIkIMI0CrQrD5MVC4ZHvppgTIa7mOwoDLVqbaCFy3w=="}""";
    private const string State = "1795531299404";

    private static readonly SeaCheck Check = new((_, _) => Task.FromResult<JsonElement?>(null));

    private static string Put(string soul, string key, string valueJson, string state = State)
    {
        var (s, k) = (JsJson.Quote(soul), JsJson.Quote(key));
        return "{" + s + ":{\"_\":{\"#\":" + s + ",\">\":{" + k + ":" + state + "}}," + k + ":" + valueJson + "}}";
    }

    private static async Task<string?> ErrorOf(string put) => (await Check.Check(JsonDocument.Parse(put).RootElement, 1795531299404)).Error;

    [Fact]
    public void The_captured_signature_verifies_by_the_recipe_and_not_otherwise()
    {
        var message = "{\"#\":" + JsJson.Quote(Soul) + ",\".\":\"name\",\":\":\"Alice\",\">\":1795531299404}";
        var signature = JsonDocument.Parse(Signed).RootElement.GetProperty("~").GetString()!;
        Assert.True(SeaSignature.Verify(Pub, message, signature));
        Assert.False(SeaSignature.Verify(Pub, message.Replace("Alice", "Alicf", StringComparison.Ordinal), signature));
        Assert.False(SeaSignature.Verify(Pub, message, signature[..^4] + "AAA="));
        Assert.False(SeaSignature.Verify("not.a-key", message, signature));
    }

    [Fact]
    public async Task User_space_takes_only_values_signed_by_its_key()
    {
        Assert.Null(await ErrorOf(Put(Soul, "name", JsJson.Quote(Signed))));
        Assert.Equal("Unverified data.", await ErrorOf(Put(Soul, "name", "\"unsigned\"")));
        Assert.Equal("Unverified data.", await ErrorOf(Put(Soul, "name", "null")));
        // The same signature on another key, another state, another soul, or with the value changed.
        Assert.Equal("Unverified data.", await ErrorOf(Put(Soul, "nick", JsJson.Quote(Signed))));
        Assert.Equal("Unverified data.", await ErrorOf(Put(Soul, "name", JsJson.Quote(Signed), "1795531299405")));
        Assert.Equal("Unverified data.", await ErrorOf(Put("~" + Pub + "/other", "name", JsJson.Quote(Signed))));
        Assert.Equal("Unverified data.", await ErrorOf(Put(Soul, "name", JsJson.Quote(Signed.Replace("Alice", "Mallory", StringComparison.Ordinal)))));
        // Another key claiming to sign, with no certificate from the owner.
        var other = Signed.Replace("\"~\":", "\"*\":\"" + Pub.Replace('O', 'P') + "\",\"~\":", StringComparison.Ordinal);
        Assert.Equal("Unverified data.", await ErrorOf(Put(Soul, "name", JsJson.Quote(other))));
    }

    [Fact]
    public async Task The_pub_key_aliases_and_hashes_follow_seas_rules()
    {
        Assert.Null(await ErrorOf(Put("~" + Pub, "pub", JsJson.Quote(Pub))));
        Assert.Equal("Account not same!", await ErrorOf(Put("~" + Pub, "pub", "\"someone.else\"")));
        Assert.Null(await ErrorOf(Put("~@", "alice", """{"#":"~@alice"}""")));
        Assert.Equal("Alias not same!", await ErrorOf(Put("~@", "alice", """{"#":"~@bob"}""")));
        Assert.Equal("Data must exist!", await ErrorOf(Put("~@", "alice", "null")));
        Assert.Null(await ErrorOf(Put("~@alice", "~" + Pub, $$"""{"#":"~{{Pub}}"}""")));
        Assert.Equal("Alias not same!", await ErrorOf(Put("~@alice", "~" + Pub, """{"#":"~mallory.key"}""")));
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("hello")));
        Assert.Null(await ErrorOf(Put("posts#", hash, "\"hello\"")));
        Assert.Null(await ErrorOf(Put("posts#", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("hello"))).ToLowerInvariant(), "\"hello\"")));
        Assert.Equal("Data hash not same as hash!", await ErrorOf(Put("posts#", hash, "\"hellp\"")));
        Assert.Null(await ErrorOf(Put("plain/soul", "any", "\"thing\"")));
    }

    [Fact]
    public async Task Forgetful_souls_drop_old_writes_silently()
    {
        var verdict = await Check.Check(JsonDocument.Parse(Put("chat<?60", "old", "1", "1000")).RootElement, 1795531299404);
        Assert.Null(verdict.Error);
        Assert.Contains(("chat<?60", "old"), verdict.Dropped);
        Assert.Empty((await Check.Check(JsonDocument.Parse(Put("chat<?60", "new", "1")).RootElement, 1795531299404)).Dropped);
    }

    [Fact]
    public void Souls_name_their_public_key_as_sea_reads_it()
    {
        Assert.Equal(Pub, SeaSignature.PubOf("~" + Pub));
        Assert.Equal(Pub, SeaSignature.PubOf(Soul));
        Assert.Equal("x.y", SeaSignature.PubOf("a~x.y/b<?9"));
        // As sea.js reads it: "@" is not a word character. (Alias souls never get here: their rules come first.)
        Assert.Equal(".alice", SeaSignature.PubOf("~@alice"));
        Assert.Null(SeaSignature.PubOf("~justone"));
        Assert.Null(SeaSignature.PubOf("no/tilde"));
    }

    [Fact]
    public void Strings_are_written_as_javascript_writes_them()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n\\t\\u0001é😀/<>&'\"", JsJson.Quote("a\"b\\c\n\t\u0001é😀/<>&'"));
        Assert.Equal("\"\\ud800x\"", JsJson.Quote("\ud800x"));
    }

    [Fact]
    public void Certificate_policies_match_as_guns_string_match_does()
    {
        static JsonElement J(string json) => JsonDocument.Parse(json).RootElement;
        Assert.True(SeaCertificate.Match("inbox", J("\"inbox\"")));
        Assert.True(SeaCertificate.Match("inbox/1", J("""{"*":"inbox"}""")));
        Assert.False(SeaCertificate.Match("outbox", J("""{"*":"inbox"}""")));
        Assert.True(SeaCertificate.Match("b", J("""{">":"a","<":"c"}""")));
        Assert.False(SeaCertificate.Match("d", J("""{">":"a","<":"c"}""")));
        Assert.False(SeaCertificate.Match("inbox", J("""{"=":"in"}""")));
        Assert.False(SeaCertificate.Match("inbox", null));
    }

    /// <summary>A value in SEA's format from before 2019: <paramref name="mJson"/> with <paramref name="key"/>'s signature of <paramref name="signedText"/>.</summary>
    private static string Legacy(ECDsa key, string mJson, string signedText, string prefix = "SEA", bool bytewise = false)
    {
        var signature = key.SignData(SHA256.HashData(Encoding.UTF8.GetBytes(signedText)), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var s = bytewise ? new string([.. signature.Select(b => (char)b)]) : Convert.ToBase64String(signature);
        return prefix + "{\"m\":" + mJson + ",\"s\":" + JsJson.Quote(s) + "}";
    }

    private static string PubOf(ECDsa key)
    {
        var point = key.ExportParameters(false).Q;
        return Convert.ToBase64String(point.X!).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." +
               Convert.ToBase64String(point.Y!).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [Fact]
    public async Task Values_in_seas_format_from_before_2019_verify_as_its_fallback_does()
    {
        using var alice = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var mallory = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var soul = "~" + PubOf(alice) + "/old";
        const string Before2019 = "1514764800000";
        // Unbound: the signature covers the value alone, so only a state from before 2019 takes it.
        Assert.Null(await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(alice, "\"Alice\"", "Alice")), Before2019)));
        Assert.Null(await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(alice, "\"Alice\"", "Alice", prefix: "")), Before2019)));
        Assert.Null(await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(alice, "\"Alice\"", "Alice", bytewise: true)), Before2019)));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(alice, "\"Alice\"", "Alice")))));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(alice, "\"Alice\"", "Alice", prefix: ""))))); // gun's relay takes this one
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(mallory, "\"Alice\"", "Alice")), Before2019)));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "name", JsJson.Quote(Legacy(alice, "\"Alice\"", "Alice").Replace("Alice", "Mallory", StringComparison.Ordinal)), Before2019)));
        // Bound: [soul, key, value, state] is taken at any state, only there.
        var bound = JsJson.Quote("[" + JsJson.Quote(soul) + ",\"city\",\"Paris\"," + State + "]");
        var city = JsJson.Quote(Legacy(alice, bound, soul + ",city,Paris," + State));
        Assert.Null(await ErrorOf(Put(soul, "city", city)));
        Assert.Null(await ErrorOf(Put(soul, "city", city, State + ".7")));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "town", city)));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "city", city, "1795531299405")));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul + "2", "city", city)));
        // Another signer needs the owner's certificate, as with today's format.
        var byMallory = Legacy(mallory, "\"Alice\"", "Alice").Replace("{", "{\"*\":\"" + PubOf(mallory) + "\",", StringComparison.Ordinal);
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "name", JsJson.Quote(byMallory), Before2019)));
        Assert.Equal("Unverified data.", await ErrorOf(Put(soul, "name", JsJson.Quote("SEA{\"m\":\"Alice\"}"), Before2019)));
    }

    [Fact]
    public void The_signed_text_of_an_old_value_is_what_javascript_makes_of_it()
    {
        static string Text(string json) => SeaLegacy.TextOf(JsonDocument.Parse(json).RootElement);
        Assert.Equal("Alice", Text("\"Alice\""));
        Assert.Equal("42", Text("42"));
        Assert.Equal("1e+21", Text("1e21"));
        Assert.Equal("[object Object]", Text("""{"a":1}"""));
        Assert.Equal("a,,1,[object Object],x,y", Text("""["a",null,1,{"b":2},["x","y"]]"""));
        Assert.Equal("null", Text("null"));
        Assert.Equal("true", Text("true"));
    }
}

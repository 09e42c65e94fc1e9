using System.Text;
using Migration.Core.Redaction;

namespace Migration.Core.Tests.Redaction;

public class RedactorTests
{
    private const string PrimaryKey = "sk-proj-Zx81kQ0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    private const string CandidateKey = "hs-live-7f3c9a1b2d4e6f80";

    private static readonly Redactor Redactor = new([PrimaryKey, CandidateKey, null, "short"]);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Prepare_None_Null()
    {
        Assert.Null(Redactor.Prepare(Bytes("{\"a\":1}"), BodyStorageMode.None, 1000));
    }

    [Fact]
    public void Prepare_EmptyBody_Null()
    {
        Assert.Null(Redactor.Prepare([], BodyStorageMode.Full, 1000));
    }

    [Fact]
    public void Prepare_FullMode_KeepsPiiButMasksConfiguredKeys()
    {
        var body = $$"""{"messages":[{"role":"user","content":"mail jane.doe@example.com, my key is {{PrimaryKey}} and {{CandidateKey}}"}]}""";

        var stored = Redactor.Prepare(Bytes(body), BodyStorageMode.Full, 10_000);

        Assert.Equal("""{"messages":[{"role":"user","content":"mail jane.doe@example.com, my key is [REDACTED] and [REDACTED]"}]}""", stored);
    }

    [Fact]
    public void Prepare_RedactedChatRequest_MasksPiiAndKeys()
    {
        const string Body = """
            {"model":"gpt-4.1","user":"u-42","messages":[
              {"role":"system","content":"You are a support bot."},
              {"role":"user","content":"Hi, I'm John (john.smith+billing@acme-corp.co.uk). Call me on +44 20 7946 0958 or 555-123-4567. My OpenAI key sk-abcdefghijklmnopqrstuvwx1234 leaked, also AKIAIOSFODNN7EXAMPLE. Token: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}],
             "metadata":{"api_key":"abc123secretvalue","Authorization":"Basic dXNlcjpwYXNzd29yZA==","order":"2025-04-14","hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
             "temperature":0.7,"max_tokens":1024,"seed":12345}
            """;

        var stored = Redactor.Prepare(Bytes(Body), BodyStorageMode.Redacted, 10_000)!;

        Assert.DoesNotContain("john.smith", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("7946", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("555-123-4567", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-abcdefghijklmnop", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGciOiJIUzI1NiJ9", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123secretvalue", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNzd29yZA", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("9f86d081884c7d659a2f", stored, StringComparison.Ordinal);
        Assert.Contains("[EMAIL]", stored, StringComparison.Ordinal);
        Assert.Contains("[PHONE]", stored, StringComparison.Ordinal);
        Assert.Contains("\"api_key\":\"[REDACTED]\"", stored, StringComparison.Ordinal);
        // Ordinary content and numbers survive.
        Assert.Contains("\"model\":\"gpt-4.1\"", stored, StringComparison.Ordinal);
        Assert.Contains("You are a support bot.", stored, StringComparison.Ordinal);
        Assert.Contains("\"order\":\"2025-04-14\"", stored, StringComparison.Ordinal);
        Assert.Contains("\"temperature\":0.7,\"max_tokens\":1024,\"seed\":12345", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_RedactedChatAnswer_KeepsOrdinaryText()
    {
        const string Body = """{"id":"chatcmpl-AbC123","object":"chat.completion","created":1700000000,"choices":[{"index":0,"message":{"role":"assistant","content":"The meeting is on 2025-11-03 at 14:30 in room 4.12. Version 1.2.3 fixed it; it cost $1,234.56."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":30}}""";

        var stored = Redactor.Prepare(Bytes(Body), BodyStorageMode.Redacted, 10_000);

        Assert.Equal(Body, stored);
    }

    [Fact]
    public void Prepare_OverCap_CutWithMarkerWithinCap()
    {
        var body = "{\"content\":\"" + string.Concat(Enumerable.Repeat("lorem ipsum ", 500)) + "\"}";

        var stored = Redactor.Prepare(Bytes(body), BodyStorageMode.Redacted, 100)!;

        Assert.Equal(100, stored.Length);
        Assert.EndsWith(Redactor.TruncationMarker, stored, StringComparison.Ordinal);
        Assert.StartsWith("{\"content\":\"lorem ipsum lorem", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_SecretCrossingTheCap_NeverPartlyStored()
    {
        var body = new string('x', 90) + " " + PrimaryKey + " tail";

        var stored = Redactor.Prepare(Bytes(body), BodyStorageMode.Full, 100)!;

        Assert.DoesNotContain(PrimaryKey[..5], stored, StringComparison.Ordinal);
        Assert.True(stored.Length <= 100);
    }

    [Fact]
    public void Prepare_CutAndMaskedShorterThanCap_EndsWithMarker()
    {
        var body = "{\"hash\":\"" + new string('a', 5_000) + "\"}";

        var stored = Redactor.Prepare(Bytes(body), BodyStorageMode.Redacted, 100);

        Assert.Equal("{\"hash\":\"[REDACTED]" + Redactor.TruncationMarker, stored);
    }

    [Fact]
    public void Prepare_HugeBody_OnlyPrefixDecoded()
    {
        var body = new byte[20_000_000];
        body.AsSpan().Fill((byte)'z');

        var stored = Redactor.Prepare(body, BodyStorageMode.Redacted, 64)!;

        Assert.Equal(64, stored.Length);
    }

    [Fact]
    public void MaskCredentials_ErrorText_KeepsEmailMasksKeys()
    {
        var text = Redactor.MaskCredentials($"Incorrect API key provided: {CandidateKey}. Contact support@holysheep.ai. Authorization: Bearer abcdefghijklmnop");

        Assert.Equal("Incorrect API key provided: [REDACTED]. Contact support@holysheep.ai. Authorization: Bearer [REDACTED]", text);
    }

    [Fact]
    public void Constructor_ShortSecrets_Ignored()
    {
        var stored = Redactor.Prepare(Bytes("short story"), BodyStorageMode.Full, 100);

        Assert.Equal("short story", stored);
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Migration.Core.Redaction;

/// <summary>
/// Prepares bodies and error texts for storage. The configured secrets (API keys of both providers, the admin
/// key) are masked in every mode, even <see cref="BodyStorageMode.Full"/>. <see cref="BodyStorageMode.Redacted"/>
/// also masks credential-looking JSON fields (<c>api_key</c>, <c>authorization</c>, <c>password</c>, ...),
/// bearer tokens, provider key formats (<c>sk-...</c>, <c>AKIA...</c>, <c>ghp_...</c>, <c>AIza...</c>), JWTs,
/// long hex or base64 secrets, email addresses and phone numbers. Thread-safe.
/// </summary>
public sealed partial class Redactor
{
    /// <summary>What replaces a masked value.</summary>
    public const string SecretMask = "[REDACTED]";

    /// <summary>What replaces an email address.</summary>
    public const string EmailMask = "[EMAIL]";

    /// <summary>What replaces a phone number.</summary>
    public const string PhoneMask = "[PHONE]";

    /// <summary>Appended when a body was cut at the size cap.</summary>
    public const string TruncationMarker = "…[truncated]";

    // Secrets shorter than this are not masked as literals: masking "abc" everywhere would destroy bodies.
    private const int MinSecretLength = 8;

    private readonly string[] _secrets;
    private readonly int _margin;

    /// <summary>Creates a redactor that always masks <paramref name="secrets"/> (null or short entries are ignored).</summary>
    public Redactor(IEnumerable<string?>? secrets = null)
    {
        _secrets = (secrets ?? [])
            .Where(s => s is { Length: >= MinSecretLength })
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length) // a key that contains another is masked whole
            .ToArray();
        _margin = Math.Max(1024, _secrets.Length == 0 ? 0 : _secrets[0].Length * 2);
    }

    /// <summary>
    /// The body as it may be stored: null for <see cref="BodyStorageMode.None"/> or an empty body; otherwise decoded
    /// as UTF-8, masked for the mode, and cut to at most <paramref name="maxChars"/> characters (ending with
    /// <see cref="TruncationMarker"/> when cut). Masking happens before cutting, so a cut never reveals a secret.
    /// </summary>
    public string? Prepare(ReadOnlySpan<byte> body, BodyStorageMode mode, int maxChars)
    {
        if (mode == BodyStorageMode.None || body.IsEmpty || maxChars <= 0)
        {
            return null;
        }

        // Only decode what can survive the cap, plus a margin so a secret crossing the cap is still seen whole.
        var limit = (long)maxChars + _margin;
        var slice = body.Length > limit * 4 ? body[..(int)(limit * 4)] : body;
        var text = Encoding.UTF8.GetString(slice);
        var cutEarly = slice.Length < body.Length;
        if (text.Length > limit)
        {
            text = text[..(int)limit];
            cutEarly = true;
        }

        text = mode == BodyStorageMode.Full ? MaskSecrets(text) : Redact(text);
        if (!cutEarly && text.Length <= maxChars)
        {
            return text;
        }

        var keep = Math.Min(text.Length, Math.Max(0, maxChars - TruncationMarker.Length));
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return maxChars <= TruncationMarker.Length ? text[..Math.Min(maxChars, text.Length)] : text[..keep] + TruncationMarker;
    }

    /// <summary>Masks everything <see cref="BodyStorageMode.Redacted"/> masks.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = MaskCredentials(text);
        text = Email().Replace(text, EmailMask);
        text = Phone().Replace(text, m => CountDigits(m.ValueSpan) >= 7 && !IsoDate().IsMatch(m.Value) ? PhoneMask : m.Value);
        return text;
    }

    /// <summary>Masks the configured secrets and anything credential-like, but keeps emails and phone numbers (for error texts).</summary>
    public string MaskCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = MaskSecrets(text);
        text = CredentialField().Replace(text, m => m.Groups["head"].Value + SecretMask + "\"");
        text = Bearer().Replace(text, m => m.Groups["scheme"].Value + SecretMask);
        text = KeyToken().Replace(text, SecretMask);
        text = LongHex().Replace(text, SecretMask);
        text = LongBase64().Replace(text, SecretMask);
        return text;
    }

    /// <summary>Masks only the configured secrets.</summary>
    public string MaskSecrets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, SecretMask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        foreach (var c in s)
        {
            n += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return n;
    }

    // "api_key": "value" and friends (JSON or JSON-in-a-string with escaped quotes is not handled: rare).
    [GeneratedRegex(
        """(?<head>"(?:api[_-]?key|apikey|x-api-key|authorization|proxy-authorization|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|secret|password|passwd|token|private[_-]?key|session[_-]?token)"\s*:\s*")(?:[^"\\]|\\.)*"(?!\s*:)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialField();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9\-._~+/]{8,}=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();

    // Provider key formats: OpenAI/Anthropic/HolySheep sk-..., AWS access keys, GitHub tokens, Google API keys,
    // Slack tokens, JWTs.
    [GeneratedRegex(
        @"\b(?:(?:sk|pk|rk)[-_][A-Za-z0-9_\-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|AIza[0-9A-Za-z_\-]{35}|xox[abprs]-[A-Za-z0-9\-]{10,}|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        RegexOptions.CultureInvariant)]
    private static partial Regex KeyToken();

    [GeneratedRegex(@"\b[0-9a-fA-F]{32,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex LongHex();

    // 40+ characters of base64/base64url alphabet with at least one digit and one letter: secrets, not words.
    [GeneratedRegex(@"(?<![A-Za-z0-9+/_\-])(?=[A-Za-z0-9+/_\-]{40,})(?=[A-Za-z+/_\-]*[0-9])(?=[0-9+/_\-]*[A-Za-z])[A-Za-z0-9+/_\-]{40,}={0,2}", RegexOptions.CultureInvariant)]
    private static partial Regex LongBase64();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // International (+CC ...) or grouped local numbers (555-123-4567, (030) 1234 5678, 06 12 34 56 78); digits >= 7 is checked after.
    [GeneratedRegex(
        @"(?<![\w.+\-/])(?:\+\d{1,3}[\s.\-]?(?:\(\d{1,4}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]\d{1,5}){1,4}|\(\d{2,5}\)[\s.\-]?\d{2,5}(?:[\s.\-]\d{2,5}){0,3}|\d{2,5}(?:[\s.\-]\d{2,5}){2,4})(?![\w.\-/]*\d)",
        RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();
}

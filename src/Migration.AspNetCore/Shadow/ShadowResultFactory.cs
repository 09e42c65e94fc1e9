using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// Builds the stored <see cref="ShadowResult"/> of a mirrored exchange: costs of both sides from usage and the
/// price table, bodies redacted per <see cref="ShadowOptions.StoreContent"/> and cut to
/// <see cref="ShadowOptions.MaxStoredChars"/>, configured credentials masked everywhere.
/// </summary>
internal sealed partial class ShadowResultFactory
{
    private const string Mask = "***";

    private readonly MigrationHarnessOptions _options;
    private readonly string[] _secrets;

    public ShadowResultFactory(IOptions<MigrationHarnessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _secrets = new[] { _options.Candidate.ApiKey, _options.Primary.ApiKey, _options.Admin.ApiKey }
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public ShadowResult Create(
        ShadowExchange exchange,
        string candidateModel,
        ProviderAnswer primary,
        ProviderAnswer candidate,
        CandidateResponse response,
        ErrorClass candidateError,
        ComparisonResult comparison) => new()
        {
            Time = exchange.StartedAt,
            RequestId = exchange.RequestId,
            Route = exchange.Route,
            PrimaryModel = exchange.Model,
            CandidateModel = candidateModel,
            Streamed = exchange.Streamed,
            PrimaryStatus = exchange.PrimaryStatus,
            CandidateStatus = response.Status,
            PrimaryLatencyMs = exchange.PrimaryLatency.TotalMilliseconds,
            CandidateLatencyMs = response.Status is null ? null : response.Latency.TotalMilliseconds,
            PrimaryTtftMs = exchange.PrimaryTtft?.TotalMilliseconds,
            CandidateTtftMs = response.Ttft?.TotalMilliseconds,
            PrimaryTokensIn = primary.Usage?.PromptTokens,
            PrimaryTokensOut = primary.Usage?.CompletionTokens,
            CandidateTokensIn = candidate.Usage?.PromptTokens,
            CandidateTokensOut = candidate.Usage?.CompletionTokens,
            PrimaryCostUsd = Cost(PrimaryPrice(exchange.Model), primary.Usage),
            CandidateCostUsd = Cost(CandidatePrice(candidateModel), candidate.Usage),
            MatchScore = comparison.Score,
            Verdict = comparison.Verdict,
            CandidateErrorClass = candidateError,
            DiffSummaryJson = MaskSecrets(comparison.DiffSummaryJson),
            RequestBody = StoredBody(exchange.RequestBody.Memory.Span),
            PrimaryBody = StoredBody(exchange.PrimaryBody.Memory.Span),
            CandidateBody = response.Body is { } body ? StoredBody(body.Memory.Span) : null,
            Error = MaskSecrets(candidateError == ErrorClass.None ? primary.IsSuccess ? null : "primary: " + primary.Error : response.ErrorMessage ?? candidate.Error),
            Instance = _options.InstanceName,
        };

    internal ModelPriceOptions? PrimaryPrice(string model) =>
        _options.Pricing.TryGetValue(model, out var price) ? price : null;

    internal ModelPriceOptions? CandidatePrice(string model)
    {
        if (_options.CandidatePricing.TryGetValue(model, out var own))
        {
            return own;
        }

        if (!_options.Pricing.TryGetValue(model, out var list))
        {
            return null;
        }

        var factor = 1m - (decimal)_options.CandidateDiscount;
        return new ModelPriceOptions { InputPerMTok = list.InputPerMTok * factor, OutputPerMTok = list.OutputPerMTok * factor };
    }

    internal static decimal? Cost(ModelPriceOptions? price, TokenUsage? usage) =>
        price is null || usage is null
            ? null
            : ((usage.PromptTokens * price.InputPerMTok) + (usage.CompletionTokens * price.OutputPerMTok)) / 1_000_000m;

    internal string? StoredBody(ReadOnlySpan<byte> body)
    {
        if (_options.Shadow.StoreContent == ContentStorage.None || body.IsEmpty)
        {
            return null;
        }

        var max = _options.Shadow.MaxStoredChars;
        var text = Encoding.UTF8.GetString(body.Length > max * 4L ? body[..(max * 4)] : body);
        text = MaskSecrets(text)!;
        if (_options.Shadow.StoreContent == ContentStorage.Redacted)
        {
            text = Redact(text);
        }

        return text.Length > max ? text[..max] : text;
    }

    internal string? MaskSecrets(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Redact(string text)
    {
        text = EmailPattern().Replace(text, "[email]");
        text = KeyPattern().Replace(text, "[key]");
        return PhonePattern().Replace(text, "[phone]");
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 100)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b(?:sk|pk|rk|hs|key|api)[-_][A-Za-z0-9_\-]{12,}\b|\bBearer\s+[A-Za-z0-9._\-]{12,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 100)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(?<![\w.])\+?\d[\d \-().]{7,}\d(?![\w.])", RegexOptions.CultureInvariant, 100)]
    private static partial Regex PhonePattern();
}

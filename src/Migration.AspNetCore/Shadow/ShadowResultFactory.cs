using Microsoft.Extensions.Options;
using Migration.AspNetCore.Candidate;
using Migration.AspNetCore.Configuration;
using Migration.Core.Comparison;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;
using Migration.Core.Pricing;
using Migration.Core.Redaction;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// Builds the stored <see cref="ShadowResult"/> of a mirrored exchange: costs of both sides from usage and the
/// price tables (a successful answer without usage is counted with <see cref="TokenEstimator"/> and marked estimated), bodies prepared by Core's <see cref="Redactor"/> per <see cref="ShadowOptions.StoreContent"/>
/// (configured credentials masked in every mode), error and diff texts masked.
/// </summary>
internal sealed class ShadowResultFactory
{
    private readonly MigrationHarnessOptions _options;
    private readonly Redactor _redactor;
    private readonly TokenEstimator _tokens = new();

    public ShadowResultFactory(IOptions<MigrationHarnessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _redactor = new Redactor([_options.Candidate.ApiKey, _options.Candidate.ShadowApiKey, _options.Primary.ApiKey, _options.Admin.ApiKey]);
        PrimaryPrices = PriceTable.Default.With(_options.Pricing.Select(p => KeyValuePair.Create(p.Key, p.Value.ToModelPrice())));
        CandidatePrices = PrimaryPrices
            .WithDiscount((decimal)_options.CandidateDiscount)
            .With(_options.CandidatePricing.Select(p => KeyValuePair.Create(p.Key, p.Value.ToModelPrice())));
    }

    public PriceTable PrimaryPrices { get; }

    public PriceTable CandidatePrices { get; }

    /// <summary>
    /// A noise-floor row: the primary's production answer against its second answer to the same request, priced with the
    /// primary's prices (the second call is billed by the primary).
    /// </summary>
    public ShadowResult CreateNoise(
        ShadowExchange exchange,
        ProviderAnswer primary,
        ProviderAnswer second,
        CandidateResponse response,
        ErrorClass secondError,
        ComparisonResult comparison) =>
        Create(exchange, exchange.Model, primary, second, response, secondError, comparison, PrimaryPrices) with { Kind = ShadowKind.Noise };

    public ShadowResult Create(
        ShadowExchange exchange,
        string candidateModel,
        ProviderAnswer primary,
        ProviderAnswer candidate,
        CandidateResponse response,
        ErrorClass candidateError,
        ComparisonResult comparison) =>
        Create(exchange, candidateModel, primary, candidate, response, candidateError, comparison, CandidatePrices);

    private ShadowResult Create(
        ShadowExchange exchange,
        string candidateModel,
        ProviderAnswer primary,
        ProviderAnswer candidate,
        CandidateResponse response,
        ErrorClass candidateError,
        ComparisonResult comparison,
        PriceTable candidatePrices)
    {
        var (primaryUsage, primaryEstimated) = Usage(exchange, exchange.Model, primary);
        var (candidateUsage, candidateEstimated) = candidateError == ErrorClass.None ? Usage(exchange, candidateModel, candidate) : (candidate.Usage, false);
        var mode = _options.Shadow.StoreContent;
        var max = _options.Shadow.MaxStoredChars;
        var error = candidateError != ErrorClass.None
            ? response.ErrorMessage ?? candidate.Error
            : primary.IsSuccess ? null : "primary: " + primary.Error;
        return new ShadowResult
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
            PrimaryFirstByteMs = exchange.PrimaryFirstByte?.TotalMilliseconds,
            CandidateFirstByteMs = response.FirstByte?.TotalMilliseconds,
            PrimaryTokensIn = primaryUsage?.PromptTokens,
            PrimaryTokensOut = primaryUsage?.CompletionTokens,
            CandidateTokensIn = candidateUsage?.PromptTokens,
            CandidateTokensOut = candidateUsage?.CompletionTokens,
            PrimaryTokensEstimated = primaryEstimated,
            CandidateTokensEstimated = candidateEstimated,
            PrimaryCostUsd = PrimaryPrices.Cost(exchange.Model, primaryUsage),
            CandidateCostUsd = candidatePrices.Cost(candidateModel, candidateUsage),
            MatchScore = comparison.Score,
            MatchTier = comparison.Tier,
            Verdict = comparison.Verdict,
            CandidateErrorClass = candidateError,
            DiffSummaryJson = comparison.DiffSummaryJson is { } diff ? _redactor.MaskSecrets(diff) : null,
            RequestBody = _redactor.Prepare(exchange.RequestBody.Memory.Span, mode, max),
            PrimaryBody = _redactor.Prepare(exchange.PrimaryBody.Memory.Span, mode, max),
            CandidateBody = response.Body is { } body ? _redactor.Prepare(body.Memory.Span, mode, max) : null,
            Error = error is null ? null : _redactor.MaskCredentials(error),
            Instance = _options.InstanceName,
        };
    }

    /// <summary>The answer's usage as the provider reported it, else counted with the model's tokenizer (estimated).</summary>
    private (TokenUsage? Usage, bool Estimated) Usage(ShadowExchange exchange, string model, ProviderAnswer answer)
    {
        if (answer.Usage is { } reported)
        {
            return (reported, false);
        }

        var estimate = _tokens.Estimate(model, exchange.RequestBody.Memory.Span, answer);
        return (estimate, estimate is not null);
    }
}

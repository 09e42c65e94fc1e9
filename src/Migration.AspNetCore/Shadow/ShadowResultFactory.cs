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
/// price tables, bodies prepared by Core's <see cref="Redactor"/> per <see cref="ShadowOptions.StoreContent"/>
/// (configured credentials masked in every mode), error and diff texts masked.
/// </summary>
internal sealed class ShadowResultFactory
{
    private readonly MigrationHarnessOptions _options;
    private readonly Redactor _redactor;

    public ShadowResultFactory(IOptions<MigrationHarnessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _redactor = new Redactor([_options.Candidate.ApiKey, _options.Primary.ApiKey, _options.Admin.ApiKey]);
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
        Create(exchange, exchange.Model, primary, second, response, secondError, comparison) with
        {
            Kind = ShadowKind.Noise,
            CandidateCostUsd = PrimaryPrices.Cost(exchange.Model, second.Usage),
        };

    public ShadowResult Create(
        ShadowExchange exchange,
        string candidateModel,
        ProviderAnswer primary,
        ProviderAnswer candidate,
        CandidateResponse response,
        ErrorClass candidateError,
        ComparisonResult comparison)
    {
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
            PrimaryTokensIn = primary.Usage?.PromptTokens,
            PrimaryTokensOut = primary.Usage?.CompletionTokens,
            CandidateTokensIn = candidate.Usage?.PromptTokens,
            CandidateTokensOut = candidate.Usage?.CompletionTokens,
            PrimaryCostUsd = PrimaryPrices.Cost(exchange.Model, primary.Usage),
            CandidateCostUsd = CandidatePrices.Cost(candidateModel, candidate.Usage),
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
}

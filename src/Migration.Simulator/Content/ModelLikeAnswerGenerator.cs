using System.Text.Json;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Content;

/// <summary>
/// Answers that read like a model's (<see cref="AnswerStyle.Verbatim"/>, <see cref="AnswerStyle.Paraphrase"/>,
/// <see cref="AnswerStyle.Sampling"/>): the prompt decides the meaning, the agreement and degraded draws decide
/// whether this provider states it, a degraded version or something unrelated, and the style picks the wording.
/// </summary>
internal sealed class ModelLikeAnswerGenerator
{
    private const ulong WordingStream = 0x510E527FADE682D1UL;
    private const ulong DegradedStream = 0x9B05688C2B3E6C1FUL;
    private const ulong UnrelatedStream = 0x1F83D9ABFB41BD6BUL;
    private const int RerollLimit = 8;

    private readonly AnswerGenerator _agreement;
    private readonly ulong _salt;
    private readonly ulong _wordingSeed;
    private readonly SamplingCalls _calls = new();

    public ModelLikeAnswerGenerator(AnswerGenerator agreement, string divergenceSalt, string providerName, int seed)
    {
        _agreement = agreement;
        _salt = Fnv1a64.Hash(divergenceSalt);
        _wordingSeed = SplitMix64.Mix(Fnv1a64.Hash(providerName) ^ (ulong)(uint)seed ^ WordingStream);
    }

    /// <summary>The answer text (JSON text when <paramref name="json"/>), and whether it was degraded.</summary>
    public (string Text, bool Degraded) Generate(AnswerSettings settings, ulong promptHash, string? userText, bool json, JsonElement? schema)
    {
        var meaning = MeaningComposer.Compose(promptHash, userText);
        var degraded = false;
        if (_agreement.ChooseVariant(promptHash) != AnswerVariant.Canonical)
        {
            meaning = MeaningComposer.Unrelated(meaning, SplitMix64.Mix(promptHash ^ _salt ^ UnrelatedStream));
        }
        else if (IsDegraded(promptHash, settings.DegradedRate))
        {
            meaning = MeaningComposer.Degrade(meaning, SplitMix64.Mix(promptHash ^ _salt ^ DegradedStream ^ UnrelatedStream));
            degraded = true;
        }

        string Render(WordingChoices choices) =>
            json ? JsonAnswerRenderer.Render(meaning, choices, schema) : AnswerRenderer.Render(meaning, choices);

        var text = settings.Style switch
        {
            AnswerStyle.Paraphrase => Reworded(Render, SplitMix64.Mix(promptHash ^ _wordingSeed), Render(WordingChoices.Canonical())),
            AnswerStyle.Sampling => Sampled(Render, promptHash),
            _ => Render(WordingChoices.Canonical()),
        };
        return (text, degraded);
    }

    /// <summary>Whether a prompt is answered degraded at this rate (nested: a lower rate's prompts are among a higher one's).</summary>
    public bool IsDegraded(ulong promptHash, double rate) =>
        rate > 0 && SplitMix64.ToUnit(SplitMix64.Mix(promptHash ^ _salt ^ DegradedStream)) < rate;

    // A seeded wording that differs from the text to avoid (bounded re-draws; the last draw is kept either way).
    private static string Reworded(Func<WordingChoices, string> render, ulong seed, string avoid)
    {
        var text = render(WordingChoices.Seeded(seed));
        for (var i = 1; i < RerollLimit && text == avoid; i++)
        {
            text = render(WordingChoices.Seeded(SplitMix64.Mix(seed + (ulong)i)));
        }

        return text;
    }

    private string Sampled(Func<WordingChoices, string> render, ulong promptHash)
    {
        var (index, previous) = _calls.Next(promptHash);
        var seed = SplitMix64.Mix(promptHash ^ _wordingSeed ^ SplitMix64.Mix((ulong)index + 1));
        var text = render(WordingChoices.Seeded(seed));
        for (var i = 1; i < RerollLimit && index > 0 && Fnv1a64.Hash(text) == previous; i++)
        {
            text = render(WordingChoices.Seeded(SplitMix64.Mix(seed + (ulong)i)));
        }

        _calls.Answered(promptHash, Fnv1a64.Hash(text));
        return text;
    }
}

using System.Globalization;

namespace Migration.Simulator;

/// <summary>
/// How the simulator answers chat prompts, swapped atomically at run time (<see cref="SimulatorHost.Answers"/> or
/// <c>PUT /_sim/answers</c>; <c>DELETE /_sim/answers</c> restores the start-up settings). JSON: <c>style</c>
/// (classic, verbatim, paraphrase, sampling) and <c>degradedRate</c>.
/// </summary>
/// <remarks>
/// The meaning of an answer (topic, facts, numbers, steps, code) is a function of the prompt alone, shared by every
/// simulator; the style decides only its wording. A degraded answer is what a weaker model passed off as the
/// requested one says: about half the facts, every number changed, one or two off-topic statements, fewer steps,
/// code cut short. Which prompts get one is fixed per prompt by <see cref="SimulatorOptions.DivergenceSalt"/>
/// (the prompts of a lower rate are among those of a higher one).
/// </remarks>
public sealed record AnswerSettings
{
    /// <summary>The classic answers, never degraded.</summary>
    public static AnswerSettings Classic { get; } = new();

    /// <summary>The wording.</summary>
    public AnswerStyle Style { get; init; }

    /// <summary>Share of prompts (0..1) answered degraded; needs a style other than <see cref="AnswerStyle.Classic"/>.</summary>
    public double DegradedRate { get; init; }

    /// <summary>Every problem with these settings, each naming its JSON property; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Style))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"style must be classic, verbatim, paraphrase or sampling (was {(int)Style})."));
        }

        if (!(DegradedRate is >= 0 and <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"degradedRate must be between 0 and 1 (was {DegradedRate})."));
        }
        else if (DegradedRate > 0 && Style == AnswerStyle.Classic)
        {
            errors.Add("degradedRate needs style verbatim, paraphrase or sampling: classic answers have no meaning to degrade.");
        }

        return errors;
    }
}

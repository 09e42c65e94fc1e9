namespace Migration.Simulator.Hosting;

/// <summary>
/// The JSON of <c>/_sim/answers</c>: <c>{"style":"paraphrase","degradedRate":0.2}</c>. On <c>PUT</c>, a missing
/// property keeps its current value.
/// </summary>
internal sealed class AnswerSettingsDocument
{
    public string? Style { get; set; }

    public double? DegradedRate { get; set; }

    public static AnswerSettingsDocument From(AnswerSettings settings) => new()
    {
        Style = AnswerStyles.Name(settings.Style),
        DegradedRate = settings.DegradedRate,
    };

    /// <summary>The settings this document asks for on top of <paramref name="current"/>; null with the problems when invalid.</summary>
    public AnswerSettings? ToSettings(AnswerSettings current, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var style = current.Style;
        if (Style is not null && !AnswerStyles.TryParse(Style, out style))
        {
            problems.Add($"style must be one of {AnswerStyles.Names} (was '{Style}').");
        }

        var settings = new AnswerSettings { Style = style, DegradedRate = DegradedRate ?? current.DegradedRate };
        if (problems.Count == 0)
        {
            problems.AddRange(settings.Validate());
        }

        errors = problems;
        return problems.Count == 0 ? settings : null;
    }
}

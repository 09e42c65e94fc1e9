namespace Migration.Core.OpenAI;

/// <summary>
/// The model name a client sent, as the harness labels and stores it. Client-supplied labels end up in indexed
/// columns and metric tags: a name longer than <see cref="MaxLength"/>, with characters no provider uses in a model
/// name, or that is not valid text at all is bucketed as <see cref="Other"/> (the request itself is untouched).
/// </summary>
public static class ModelLabel
{
    /// <summary>The bucket for model names that are too long, odd or unreadable.</summary>
    public const string Other = "(other)";

    /// <summary>The longest model name kept as is (provider model names are well under 100 characters).</summary>
    public const int MaxLength = 200;

    /// <summary><paramref name="model"/> when it is a plausible model name, else <see cref="Other"/>.</summary>
    public static string Normalize(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Classify(model) == ModelLabelIssue.None ? model : Other;
    }

    /// <summary>Why <paramref name="model"/> would be bucketed, or <see cref="ModelLabelIssue.None"/>.</summary>
    public static ModelLabelIssue Classify(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length > MaxLength)
        {
            return ModelLabelIssue.TooLong;
        }

        foreach (var c in model)
        {
            // Printable ASCII without quotes, backslash and angle brackets: every provider's model names
            // (gpt-4.1, claude-3-5-sonnet@20240620, accounts/fireworks/models/llama-v3p1-8b, org/Model:tag) fit.
            if (c is < '!' and not ' ' or > '~' or '"' or '\\' or '<' or '>' or '`')
            {
                return ModelLabelIssue.OddCharacters;
            }
        }

        return ModelLabelIssue.None;
    }
}

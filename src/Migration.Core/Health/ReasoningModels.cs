namespace Migration.Core.Health;

/// <summary>
/// Recognises reasoning models by name (<c>o1</c>, <c>o3-mini</c>, <c>o4-mini</c>, <c>deepseek-reasoner</c>,
/// <c>*thinking*</c>): a one-token probe on them still bills hidden reasoning tokens and takes long, so streaming
/// probes skip them unless asked.
/// </summary>
public static class ReasoningModels
{
    /// <summary>Whether <paramref name="model"/> looks like a reasoning model.</summary>
    public static bool LooksLikeReasoning(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return false;
        }

        var name = model.Trim().ToLowerInvariant();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        if (name.Contains("thinking", StringComparison.Ordinal)
            || name.EndsWith("-reasoner", StringComparison.Ordinal)
            || name.Contains("-reasoning", StringComparison.Ordinal))
        {
            return true;
        }

        // o1, o1-mini, o3, o3-pro, o4-mini... but not "omni-..." or "gpt-4o".
        return name.Length >= 2 && name[0] == 'o' && char.IsAsciiDigit(name[1]);
    }
}

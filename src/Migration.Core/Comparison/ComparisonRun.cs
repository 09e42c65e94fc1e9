namespace Migration.Core.Comparison;

/// <summary>The state of one comparison: options, the diff being built and the prose pairs the lexical tier scored.</summary>
internal sealed class ComparisonRun(ComparerOptions options)
{
    public ComparerOptions Options { get; } = options;

    public ComparisonDiff Diff { get; } = new();

    public List<TextPair> LexicalPairs { get; } = [];
}

namespace Migration.Core.Comparison;

/// <summary>One pair of free texts the lexical tier scored, which a semantic tier may re-score.</summary>
/// <param name="Path">Where the texts are: <c>content</c>, <c>choice 1: content</c>, <c>content $.summary</c>, <c>tool get_weather $.city</c>, <c>refusal</c>.</param>
/// <param name="Primary">The baseline's text (prose only: fenced code blocks are compared as code and left out).</param>
/// <param name="Candidate">The other side's text.</param>
/// <param name="LexicalScore">The lexical tier's score of the pair.</param>
public sealed record TextPair(string Path, string Primary, string Candidate, double LexicalScore);

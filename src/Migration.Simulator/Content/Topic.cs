namespace Migration.Simulator.Content;

/// <summary>
/// What an answer can be about: the words of a prompt that select it, opening sentences (wordings of one
/// meaning), facts, ordered steps (each step in its wordings) and an optional code sample.
/// </summary>
internal sealed record Topic(
    string Key,
    string Title,
    string[] Keywords,
    string[] Openings,
    Fact[] Facts,
    string[][] Steps,
    CodeSample? Code = null);

namespace Migration.Simulator.Content;

/// <summary>
/// One thing an answer can state, in several wordings of the same meaning. Wordings hold the placeholders
/// <c>{0}</c>, <c>{1}</c>... for <see cref="Figures"/>; the first wording is the canonical one.
/// </summary>
internal sealed record Fact(string[] Wordings, params Figure[] Figures);

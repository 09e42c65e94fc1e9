namespace Migration.Simulator.Content;

/// <summary>
/// A fenced code block an answer can carry. Each line starts with one tab per indentation level (rendered as two
/// or four spaces) and may hold <c>{0}</c>, <c>{1}</c>... for <see cref="Figures"/>; <see cref="Leads"/> are
/// wordings of the sentence that introduces it.
/// </summary>
internal sealed record CodeSample(string Language, string[] Leads, string[] Lines, params Figure[] Figures);

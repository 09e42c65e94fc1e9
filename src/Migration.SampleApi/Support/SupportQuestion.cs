namespace Migration.SampleApi.Support;

/// <summary>What a client of the support app sends: a question, nothing of the provider's API.</summary>
/// <param name="Question">The customer's question.</param>
/// <param name="Stream">Whether the answer is streamed back as plain text as it is written.</param>
/// <param name="Tier">"fast" (a small model) or "best" (default).</param>
public sealed record SupportQuestion(string Question, bool Stream = false, string? Tier = null);

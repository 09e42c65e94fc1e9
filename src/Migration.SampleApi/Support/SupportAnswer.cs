namespace Migration.SampleApi.Support;

/// <summary>The support app's answer.</summary>
/// <param name="Answer">The assistant's text.</param>
/// <param name="Model">The model that wrote it.</param>
public sealed record SupportAnswer(string Answer, string? Model);

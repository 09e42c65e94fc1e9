namespace Migration.Core.Comparison;

/// <summary>One number of a text.</summary>
/// <param name="Text">As written (for the diff).</param>
/// <param name="Key">Canonical value and unit.</param>
/// <param name="IsWord">Written as a word.</param>
/// <param name="IsOne">The word "one" (never counted as a difference on its own).</param>
internal readonly record struct NumericToken(string Text, string Key, bool IsWord, bool IsOne);

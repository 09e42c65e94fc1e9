namespace Migration.Core.OpenAI;

/// <summary>Why a client's model name was bucketed as <see cref="ModelLabel.Other"/>.</summary>
public enum ModelLabelIssue
{
    /// <summary>Kept as sent.</summary>
    None,

    /// <summary>Longer than <see cref="ModelLabel.MaxLength"/> characters.</summary>
    TooLong,

    /// <summary>Characters no model name uses (control characters, non-ASCII, quotes).</summary>
    OddCharacters,

    /// <summary>Not valid text: invalid UTF-8 or a lone surrogate escape such as <c>\ud800</c>.</summary>
    InvalidText,
}

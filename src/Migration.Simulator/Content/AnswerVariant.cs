namespace Migration.Simulator.Content;

/// <summary>Which text a simulator answers for a prompt.</summary>
internal enum AnswerVariant
{
    /// <summary>The text every simulator gives for this prompt.</summary>
    Canonical = 0,

    /// <summary>The canonical text with different case, spacing and final punctuation.</summary>
    Equivalent = 1,

    /// <summary>The canonical text with a few words changed.</summary>
    Similar = 2,

    /// <summary>Another text altogether.</summary>
    Different = 3,
}

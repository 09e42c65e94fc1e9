namespace Migration.Simulator.Content;

/// <summary>The layout the prompt asks for; every provider follows it, only the wording varies.</summary>
internal enum AnswerShape
{
    /// <summary>Paragraphs, steps as a list.</summary>
    Standard = 0,

    /// <summary>Two facts at most, no steps, no closing.</summary>
    Brief = 1,

    /// <summary>One paragraph: steps in prose, no lists.</summary>
    Paragraph = 2,

    /// <summary>The facts as a list.</summary>
    List = 3,
}

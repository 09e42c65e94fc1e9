namespace Migration.Simulator.Hosting;

/// <summary>The names of <see cref="AnswerStyle"/> on the command line and in <c>/_sim/answers</c>: lower case, names only.</summary>
internal static class AnswerStyles
{
    public const string Names = "classic, verbatim, paraphrase, sampling";

    public static bool TryParse(string? text, out AnswerStyle style)
    {
        style = AnswerStyle.Classic;
        return !string.IsNullOrWhiteSpace(text)
            && text.Trim().All(char.IsLetter)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out style)
            && Enum.IsDefined(style);
    }

    public static string Name(AnswerStyle style) => style.ToString().ToLowerInvariant();
}

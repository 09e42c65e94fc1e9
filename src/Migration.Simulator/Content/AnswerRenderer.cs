using System.Text;

namespace Migration.Simulator.Content;

/// <summary>
/// Writes a <see cref="Meaning"/> as text. The canonical rendering takes the first wording of everything, in the
/// meaning's order, with numbered steps; a seeded rendering picks other wordings, reorders the facts (their order
/// does not matter; the steps' order does), switches between prose, bullets and numbers, rewords with synonyms
/// and contractions, and indents code differently. The numbers and the code's tokens never change.
/// </summary>
internal static class AnswerRenderer
{
    private static readonly string[] ProseStepWords = ["First", "Then", "Next", "After that"];

    public static string Render(Meaning meaning, WordingChoices choices)
    {
        var reword = Rewording.Choose(choices);
        var opening = Pick(meaning.Topic.Openings, choices);
        var facts = meaning.Facts.Select(f => Sentence(f, choices)).ToList();
        choices.Shuffle(facts);
        var steps = meaning.Steps.Select(s => Pick(s, choices)).ToList();

        var blocks = new List<string>();
        switch (meaning.Shape)
        {
            case AnswerShape.Brief:
                blocks.Add(Join([opening, .. facts]));
                break;
            case AnswerShape.Paragraph:
                blocks.Add(Join([opening, .. facts, .. steps.Count > 0 ? [ProseSteps(steps, choices)] : Array.Empty<string>()]));
                break;
            default:
                var listFacts = meaning.Shape == AnswerShape.List || (facts.Count >= 3 && choices.Chance(0.3));
                var factsBlock = listFacts
                    ? Pick(KnowledgeBank.FactLeads, choices) + "\n" + List(facts, choices)
                    : Join(facts);
                var stepsBlock = steps.Count == 0 ? null : StepsBlock(steps, choices);
                if (listFacts || choices.Chance(0.5))
                {
                    blocks.Add(opening);
                    AddFactsAndSteps(blocks, factsBlock, stepsBlock, choices);
                }
                else
                {
                    blocks.Add(Join([opening, factsBlock]));
                    if (stepsBlock is not null)
                    {
                        blocks.Add(stepsBlock);
                    }
                }

                break;
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            blocks[i] = reword.Apply(blocks[i]);
        }

        if (meaning.Code is { } code)
        {
            blocks.Add(reword.Apply(Pick(code.Sample.Leads, choices)) + "\n" + CodeBlock(code, choices));
        }

        if (meaning.Closing)
        {
            blocks.Add(reword.Apply(Pick(KnowledgeBank.Closings, choices)));
        }

        return string.Join("\n\n", blocks.Where(b => b.Length > 0));
    }

    /// <summary>One fact in a chosen wording, numbers filled in.</summary>
    public static string Sentence(Meaning.StatedFact fact, WordingChoices choices) =>
        Fill(Pick(fact.Fact.Wordings, choices), fact.Fact.Figures, fact.Values);

    /// <summary>The code of a sample as plain lines (no fence), indented by <paramref name="indent"/>.</summary>
    public static string Code(Meaning.StatedCode code, string indent)
    {
        var builder = new StringBuilder();
        foreach (var line in code.Sample.Lines.Take(code.Lines))
        {
            var depth = line.TakeWhile(c => c == '\t').Count();
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            for (var i = 0; i < depth; i++)
            {
                builder.Append(indent);
            }

            builder.Append(Fill(line[depth..], code.Sample.Figures, code.Values));
        }

        return builder.ToString();
    }

    public static T Pick<T>(IReadOnlyList<T> wordings, WordingChoices choices) => wordings[choices.Pick(wordings.Count)];

    private static void AddFactsAndSteps(List<string> blocks, string factsBlock, string? stepsBlock, WordingChoices choices)
    {
        if (stepsBlock is not null && choices.Chance(0.5))
        {
            blocks.Add(stepsBlock);
            blocks.Add(factsBlock);
        }
        else
        {
            blocks.Add(factsBlock);
            if (stepsBlock is not null)
            {
                blocks.Add(stepsBlock);
            }
        }
    }

    private static string StepsBlock(List<string> steps, WordingChoices choices) =>
        choices.Chance(0.2)
            ? ProseSteps(steps, choices)
            : Pick(KnowledgeBank.StepLeads, choices) + "\n" + List(steps, choices, numberedFirst: true);

    // Numbered "1. ", "1) ", or bullets "- ", "* "; the canonical list is numbered.
    private static string List(List<string> items, WordingChoices choices, bool numberedFirst = false)
    {
        var style = choices.IsCanonical ? (numberedFirst ? 0 : 2) : choices.Pick(4);
        var builder = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('\n');
            }

            builder.Append(style switch
            {
                0 => $"{i + 1}. ",
                1 => $"{i + 1}) ",
                2 => "- ",
                _ => "* ",
            });
            builder.Append(items[i]);
        }

        return builder.ToString();
    }

    // "First, open Billing. Then choose the invoice. Finally, click Request refund."
    private static string ProseSteps(List<string> steps, WordingChoices choices)
    {
        var sentences = new List<string>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var lead = i == steps.Count - 1 && steps.Count > 1 ? "Finally" : ProseStepWords[Math.Min(i, ProseStepWords.Length - 1)];
            if (i > 0 && i < steps.Count - 1 && choices.Chance(0.5))
            {
                lead = "Next";
            }

            sentences.Add(lead + ", " + char.ToLowerInvariant(steps[i][0]) + steps[i][1..]);
        }

        return Join(sentences);
    }

    private static string CodeBlock(Meaning.StatedCode code, WordingChoices choices)
    {
        var indent = choices.Pick(2) == 0 ? "    " : "  ";
        return "```" + code.Sample.Language + "\n" + Code(code, indent) + "\n```";
    }

    private static string Fill(string template, Figure[] figures, int[] values)
    {
        var text = template;
        for (var i = 0; i < figures.Length; i++)
        {
            text = text.Replace("{" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}", figures[i].Format(values[i]), StringComparison.Ordinal);
        }

        return text;
    }

    private static string Join(IEnumerable<string> sentences) => string.Join(' ', sentences.Where(s => s.Length > 0));
}

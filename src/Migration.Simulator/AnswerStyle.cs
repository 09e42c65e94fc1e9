namespace Migration.Simulator;

/// <summary>How a simulator words its chat answers (see <see cref="AnswerSettings"/>).</summary>
public enum AnswerStyle
{
    /// <summary>
    /// The original answers: sentences from a fixed bank. Agreeing providers answer byte-identical text; the others
    /// answer an equivalent (case, spacing), similar (a few words changed) or unrelated text. JSON mode is ignored.
    /// </summary>
    Classic = 0,

    /// <summary>
    /// Answers like a model: several sentences on the prompt's topic, with numbers and units, lists, code for
    /// code-like prompts, JSON in JSON mode. Every provider in this style words an answer the same way.
    /// </summary>
    Verbatim = 1,

    /// <summary>
    /// As <see cref="Verbatim"/>, reworded: other synonyms, sentence order, list formatting, contractions. The
    /// wording is fixed per prompt and provider (seeded by <see cref="SimulatorOptions.Name"/> and
    /// <see cref="SimulatorOptions.Seed"/>) and always differs from the verbatim text.
    /// </summary>
    Paraphrase = 2,

    /// <summary>
    /// As <see cref="Paraphrase"/>, but a new wording on every call of the same prompt (like temperature &gt; 0):
    /// the n-th call of a prompt always gets the same wording, so runs are reproducible, and two calls in a row
    /// never get the same text.
    /// </summary>
    Sampling = 3,
}

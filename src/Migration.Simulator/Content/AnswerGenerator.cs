using System.Text;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Content;

/// <summary>
/// Deterministic answer text. The prompt hash (messages + request seed, never the model) picks the canonical
/// text; the agreement rate and divergence salt decide whether this simulator answers it or a divergent variant.
/// </summary>
internal sealed class AnswerGenerator
{
    private const ulong VariantStream = 0x5DEECE66DUL;
    private const ulong DifferentStream = 0xA5A5A5A5A5A5A5A5UL;

    private readonly double _agreementRate;
    private readonly ulong _salt;

    public AnswerGenerator(double agreementRate, string divergenceSalt)
    {
        _agreementRate = agreementRate;
        _salt = Fnv1a64.Hash(divergenceSalt);
    }

    public AnswerVariant ChooseVariant(ulong promptHash)
    {
        var agreeDraw = SplitMix64.ToUnit(SplitMix64.Mix(promptHash ^ _salt));
        if (agreeDraw < _agreementRate)
        {
            return AnswerVariant.Canonical;
        }

        var kindDraw = SplitMix64.ToUnit(SplitMix64.Mix(promptHash ^ _salt ^ VariantStream));
        return kindDraw switch
        {
            < 0.2 => AnswerVariant.Equivalent,
            < 0.6 => AnswerVariant.Similar,
            _ => AnswerVariant.Different,
        };
    }

    public string Generate(ulong promptHash) => Generate(promptHash, ChooseVariant(promptHash));

    public string Generate(ulong promptHash, AnswerVariant variant) => variant switch
    {
        AnswerVariant.Canonical => Canonical(promptHash),
        AnswerVariant.Equivalent => Equivalent(Canonical(promptHash)),
        AnswerVariant.Similar => Similar(Canonical(promptHash), SplitMix64.Mix(promptHash ^ _salt ^ 0x1234UL)),
        _ => Assemble(TextBank.Alternate, SplitMix64.Mix(promptHash ^ _salt ^ DifferentStream)),
    };

    public static string Canonical(ulong promptHash) => Assemble(TextBank.Primary, promptHash);

    private static string Assemble(string[] bank, ulong hash)
    {
        var random = new SplitMix64(hash);
        var sentences = 2 + (int)(random.NextUInt64() % 4);
        var builder = new StringBuilder(sentences * 64);
        var previous = -1;
        for (var i = 0; i < sentences; i++)
        {
            var index = (int)(random.NextUInt64() % (ulong)bank.Length);
            if (index == previous)
            {
                index = (index + 1) % bank.Length;
            }

            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(bank[index]);
            previous = index;
        }

        return builder.ToString();
    }

    // What a normaliser of whitespace, case and punctuation cannot tell apart from the original.
    private static string Equivalent(string canonical)
    {
        var lower = canonical.ToLowerInvariant().Replace(". ", ".  ", StringComparison.Ordinal);
        return lower.EndsWith('.') ? lower[..^1] : lower;
    }

    // About one word in six (never the first) becomes another word: same length, mostly the same words.
    private static string Similar(string canonical, ulong hash)
    {
        var random = new SplitMix64(hash);
        var words = canonical.Split(' ');
        var changed = false;
        for (var i = 1; i < words.Length; i++)
        {
            if (random.NextDouble() < 1.0 / 6)
            {
                words[i] = SwapKeepingPunctuation(words[i], TextBank.Substitutes[random.NextUInt64() % (ulong)TextBank.Substitutes.Length]);
                changed = true;
            }
        }

        if (!changed)
        {
            words[^1] = SwapKeepingPunctuation(words[^1], TextBank.Substitutes[0]);
        }

        var result = string.Join(' ', words);
        return result == canonical ? result + " Indeed." : result;
    }

    private static string SwapKeepingPunctuation(string word, string substitute)
    {
        var end = word.Length;
        while (end > 0 && char.IsPunctuation(word[end - 1]))
        {
            end--;
        }

        return substitute + word[end..];
    }
}

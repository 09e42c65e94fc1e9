namespace Migration.Simulator.Content;

/// <summary>
/// How often each prompt was answered in <see cref="AnswerStyle.Sampling"/>, and the hash of its last text: the
/// n-th call of a prompt gets the n-th wording, and never the text of the call before. Bounded: past
/// <see cref="Capacity"/> prompts the counts start again (a long run keeps varying, it only forgets).
/// </summary>
internal sealed class SamplingCalls
{
    public const int Capacity = 100_000;

    private readonly Dictionary<ulong, (long Calls, ulong LastText)> _prompts = [];
    private readonly Lock _lock = new();

    /// <summary>The index of this call of the prompt (0 for the first) and the hash of the previous call's text.</summary>
    public (long Index, ulong PreviousText) Next(ulong promptHash)
    {
        lock (_lock)
        {
            if (!_prompts.TryGetValue(promptHash, out var entry) && _prompts.Count >= Capacity)
            {
                _prompts.Clear();
            }

            _prompts[promptHash] = (entry.Calls + 1, entry.LastText);
            return (entry.Calls, entry.LastText);
        }
    }

    public void Answered(ulong promptHash, ulong textHash)
    {
        lock (_lock)
        {
            if (_prompts.TryGetValue(promptHash, out var entry))
            {
                _prompts[promptHash] = (entry.Calls, textHash);
            }
        }
    }
}

namespace Migration.AspNetCore.Routing;

/// <summary>
/// What the handler keeps with one <see cref="HttpRequestMessage"/> (in its options) across the app's retries of it:
/// the <see cref="ExchangeRequest"/> (one arm, at most one shadow) and who still uses its captured body. The message
/// holds it until its content is disposed, each attempt until its answer ended; the last one frees the body.
/// One attempt at a time: a second concurrent send of the same message (a hedging copy) runs without the harness.
/// </summary>
internal sealed class OutgoingRequest
{
    internal static readonly HttpRequestOptionsKey<OutgoingRequest> OptionKey = new("Migration.Exchange");

    private int _holds = 1;
    private int _inFlight;

    public OutgoingRequest(ExchangeRequest exchange) => Exchange = exchange;

    public ExchangeRequest Exchange { get; }

    /// <summary>Starts an attempt; false while another attempt of the same message is in flight.</summary>
    public bool TryBeginAttempt()
    {
        if (Interlocked.CompareExchange(ref _inFlight, 1, 0) != 0)
        {
            return false;
        }

        Interlocked.Increment(ref _holds);
        return true;
    }

    /// <summary>Ends the current attempt (its answer ended, was disposed, or it failed).</summary>
    public void EndAttempt()
    {
        Volatile.Write(ref _inFlight, 0);
        Release();
    }

    /// <summary>Drops one hold; the last frees the captured body.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
        {
            Exchange.Dispose();
        }
    }
}

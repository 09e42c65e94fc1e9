using Migration.AspNetCore.Capture;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// One primary-served attempt as an adapter reports it to <see cref="ExchangePipeline"/>: the adapter tees the
/// answer into <see cref="Copy"/> as it streams and calls <see cref="Complete"/> once when the answer ended (the
/// app's handler returned, the app read the response to its end or disposed it). The pipeline then records
/// traffic, metrics and the passive health signal, and queues the shadow when this request is sampled.
/// </summary>
internal sealed class PrimaryTap
{
    private readonly ExchangePipeline _owner;
    private CaptureBuffer? _copy;
    private int _done;

    internal PrimaryTap(ExchangePipeline owner, ExchangeRequest request, bool sampled, CaptureBuffer? copy)
    {
        _owner = owner;
        Request = request;
        Sampled = sampled;
        _copy = copy;
    }

    /// <summary>Where the adapter copies the answer (bounded); null when only timing is needed.</summary>
    public CaptureBuffer? Copy => _copy;

    /// <summary>The clock of the pipeline, for the adapter's first-byte timestamp.</summary>
    public TimeProvider Time => _owner.Time;

    internal ExchangeRequest Request { get; }

    /// <summary>The pipeline the attempt belongs to (an adapter asks it whether a failed primary call may be rescued).</summary>
    internal ExchangePipeline Pipeline => _owner;

    internal bool Sampled { get; }

    /// <summary>
    /// The adapter could not observe the answer after all (<paramref name="exception"/>): it serves the request
    /// without the harness; nothing is recorded and the copy is freed.
    /// </summary>
    public void Abandon(Exception exception)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            Interlocked.Exchange(ref _copy, null)?.Dispose();
            _owner.Abandoned(Request, exception);
        }
    }

    /// <summary>Records the attempt (once; later calls do nothing). Never throws.</summary>
    public void Complete(in PrimaryEnd end)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        var copy = Interlocked.Exchange(ref _copy, null);
        try
        {
            if (_owner.CompletePrimary(this, end, copy))
            {
                // The queued exchange owns the copy now.
                copy = null;
            }
        }
        finally
        {
            copy?.Dispose();
        }
    }
}

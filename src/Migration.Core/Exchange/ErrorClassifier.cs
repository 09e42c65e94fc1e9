using System.Net.Sockets;
using Migration.Core.OpenAI;

namespace Migration.Core.Exchange;

/// <summary>Maps HTTP statuses, read answers and exceptions to an <see cref="ErrorClass"/>.</summary>
public static class ErrorClassifier
{
    /// <summary>The error class of an HTTP status code (<see cref="ErrorClass.None"/> for 1xx-3xx).</summary>
    public static ErrorClass FromStatus(int status) => status switch
    {
        429 => ErrorClass.RateLimited,
        >= 500 => ErrorClass.ServerError,
        >= 400 => ErrorClass.ClientError,
        _ => ErrorClass.None,
    };

    /// <summary>
    /// The error class of an answer read by <see cref="ProviderAnswerReader"/>: None when it succeeded; the status
    /// class for non-2xx; <see cref="ErrorClass.TruncatedStream"/> for a stream without <c>[DONE]</c> or with an
    /// error event; <see cref="ErrorClass.MalformedResponse"/> for a 2xx body that is not a valid answer (bad JSON,
    /// no choices, an error object in a 200); <see cref="ErrorClass.Other"/> when no response arrived (status 0:
    /// use <see cref="FromException"/> with the exception instead).
    /// </summary>
    public static ErrorClass FromAnswer(ProviderAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.IsSuccess)
        {
            return ErrorClass.None;
        }

        if (answer.Status == 0)
        {
            return ErrorClass.Other;
        }

        var byStatus = FromStatus(answer.Status);
        if (byStatus != ErrorClass.None)
        {
            return byStatus;
        }

        var error = answer.Error ?? string.Empty;
        if (error.StartsWith(ProviderAnswerReader.MalformedPrefix, StringComparison.Ordinal))
        {
            return ErrorClass.MalformedResponse;
        }

        return answer.Streamed ? ErrorClass.TruncatedStream : ErrorClass.MalformedResponse;
    }

    /// <summary>
    /// The error class of a failed call: timeouts (<see cref="TimeoutException"/>, Polly's
    /// <c>TimeoutRejectedException</c>, a <see cref="TaskCanceledException"/> caused by a timeout),
    /// connection failures (<see cref="HttpRequestException"/> without a status, <see cref="SocketException"/>),
    /// an <see cref="IOException"/> while reading (<see cref="ErrorClass.TruncatedStream"/>), else
    /// <see cref="ErrorClass.Other"/>.
    /// </summary>
    public static ErrorClass FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException || e.GetType().Name == "TimeoutRejectedException")
            {
                return ErrorClass.Timeout;
            }

            if (e is HttpRequestException http)
            {
                return http switch
                {
                    { StatusCode: { } status } => FromStatus((int)status),
                    { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } => ErrorClass.TruncatedStream,
                    _ => ErrorClass.Connection,
                };
            }

            if (e is SocketException)
            {
                return ErrorClass.Connection;
            }
        }

        return exception switch
        {
            IOException => ErrorClass.TruncatedStream,
            _ => ErrorClass.Other,
        };
    }
}

namespace Migration.Core.Exchange;

/// <summary>Why a provider call did not succeed.</summary>
public enum ErrorClass
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>No answer (or no first byte) within the deadline.</summary>
    Timeout = 1,

    /// <summary>HTTP 429 Too Many Requests.</summary>
    RateLimited = 2,

    /// <summary>HTTP 5xx.</summary>
    ServerError = 3,

    /// <summary>HTTP 4xx other than 429.</summary>
    ClientError = 4,

    /// <summary>Connection refused, reset or DNS failure.</summary>
    Connection = 5,

    /// <summary>A canary request that failed before commit and was served by the primary instead.</summary>
    Fallback = 6,

    /// <summary>A stream that ended without <c>[DONE]</c> or with an error event.</summary>
    TruncatedStream = 7,

    /// <summary>A 2xx answer whose body is not valid OpenAI JSON.</summary>
    MalformedResponse = 8,

    /// <summary>Anything else (harness-side failure, cancelled, ...).</summary>
    Other = 9,
}

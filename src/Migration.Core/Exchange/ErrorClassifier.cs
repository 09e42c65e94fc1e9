namespace Migration.Core.Exchange;

/// <summary>Maps an HTTP status to an <see cref="ErrorClass"/>.</summary>
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
}

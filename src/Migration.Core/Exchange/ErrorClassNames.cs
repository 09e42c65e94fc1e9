namespace Migration.Core.Exchange;

/// <summary>
/// The one text form of each <see cref="ErrorClass"/> (lowercase snake case): what storage keeps, metrics tag and
/// reports show. <c>none</c> for no error.
/// </summary>
public static class ErrorClassNames
{
    /// <summary>The text of <paramref name="errorClass"/>: none, timeout, rate_limited, server_error, ...</summary>
    public static string Of(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.None => "none",
        ErrorClass.Timeout => "timeout",
        ErrorClass.RateLimited => "rate_limited",
        ErrorClass.ServerError => "server_error",
        ErrorClass.ClientError => "client_error",
        ErrorClass.Connection => "connection",
        ErrorClass.Fallback => "fallback",
        ErrorClass.TruncatedStream => "truncated_stream",
        ErrorClass.MalformedResponse => "malformed_response",
        ErrorClass.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(errorClass), errorClass, null),
    };

    /// <summary>The error class named <paramref name="value"/> (as <see cref="Of"/> writes it).</summary>
    /// <exception cref="InvalidOperationException">No error class has that name.</exception>
    public static ErrorClass Parse(string value) =>
        Enum.GetValues<ErrorClass>().First(v => Of(v) == value);
}

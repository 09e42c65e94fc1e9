namespace Migration.Load.Driver;

/// <summary>The outcome of one step invocation (NBomber's <c>Response.Ok</c> / <c>Response.Fail</c>).</summary>
internal readonly record struct StepResponse(bool IsOk, int? StatusCode, string? Reason, long SizeBytes)
{
    /// <summary>The key failures are grouped by: the reason if any, else the status code, else "error".</summary>
    public string FailureKey => Reason ?? (StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "error");
}

/// <summary>Builds step outcomes.</summary>
internal static class Response
{
    /// <summary>Failure reason for requests the driver did not start because the in-flight cap was reached.</summary>
    public const string ClientOverloaded = "client_overloaded";

    /// <summary>Failure reason for steps cancelled by the step timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>Failure reason for steps still running when the drain deadline passed.</summary>
    public const string Unfinished = "unfinished";

    public static StepResponse Ok(int statusCode = 200, long sizeBytes = 0) => new(true, statusCode, null, sizeBytes);

    public static StepResponse Fail(int? statusCode = null, string? reason = null, long sizeBytes = 0) => new(false, statusCode, reason, sizeBytes);
}

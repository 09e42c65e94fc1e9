namespace Migration.Cli;

/// <summary>What the CLI takes from its surroundings: replaced by tests (clock, environment, user).</summary>
internal sealed class CliHost
{
    /// <summary>The real process: system clock, process environment, OS user.</summary>
    public static CliHost Default { get; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public string UserName { get; init; } = Environment.UserName;

    /// <summary>The event actor of every change made by this process: <c>cli:&lt;os user&gt;</c>.</summary>
    public string Actor => "cli:" + (string.IsNullOrWhiteSpace(UserName) ? "unknown" : UserName);
}

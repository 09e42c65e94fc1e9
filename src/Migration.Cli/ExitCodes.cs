namespace Migration.Cli;

/// <summary>The exit codes of <c>migrationctl</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed (unreachable database, a command the canary state forbids...).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage (unknown command, invalid value, missing option).</summary>
    public const int Usage = 2;
}

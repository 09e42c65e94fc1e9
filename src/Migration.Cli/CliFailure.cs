namespace Migration.Cli;

/// <summary>An operation failed for a reason the user should read (exit 1, one line, no stack trace).</summary>
internal sealed class CliFailure : Exception
{
    public CliFailure()
    {
    }

    public CliFailure(string message)
        : base(message)
    {
    }

    public CliFailure(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The command line was wrong in a way the parser could not see (exit 2, usage line + reason).</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

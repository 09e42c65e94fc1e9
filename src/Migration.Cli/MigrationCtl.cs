using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Migration.Core.Canary;
using Migration.Core.Reporting;
using Migration.Postgres.Local;
using Npgsql;

namespace Migration.Cli;

/// <summary>
/// <c>migrationctl</c>: the runbook commands. Talks to PostgreSQL directly, so it works with every API instance
/// down. Exit 0 ok, 1 the operation failed (one line saying why), 2 bad usage (the reason and the usage line).
/// </summary>
internal static class MigrationCtl
{
    public const string Name = "migrationctl";

    /// <summary>Parses and runs <paramref name="args"/>; never throws for user or database errors.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliHost? host = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        host ??= CliHost.Default;

        var root = BuildCommand(host, stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown word explains more than the "required command" error it also causes.
            var reason = parse.UnmatchedTokens.Count > 0
                ? $"unknown command or argument '{parse.UnmatchedTokens[0]}'"
                : parse.Errors[0].Message;
            await WriteUsageErrorAsync(stderr, root, parse.CommandResult.Command, reason).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Only reached for a failure outside the command actions (which map their own errors).
            await stderr.WriteLineAsync($"{Name}: {CliFormat.OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    internal static RootCommand BuildCommand(CliHost host, TextWriter stdout, TextWriter stderr)
    {
        var db = new Option<string?>("--db")
        {
            Description = $"PostgreSQL connection string (default: the {PostgresEnvironment.VariableName} environment variable). Timeout={CliContext.DefaultConnectTimeoutSeconds} is added unless it sets one.",
            HelpName = "connection-string",
            Recursive = true,
        };
        var config = new Option<string?>("--config")
        {
            Description = "The app's appsettings.json: thresholds from Migration:Readiness (report) and steps from Migration:Canary (canary commands); defaults otherwise.",
            HelpName = "file",
            Recursive = true,
        };
        var migrationKey = new Option<string?>("--migration")
        {
            Description = "The migration key (the app's Migration:Canary:Migration; default: the one in --config, else 'default').",
            HelpName = "key",
            Recursive = true,
        };
        migrationKey.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && string.IsNullOrWhiteSpace(r.GetValueOrDefault<string?>()))
            {
                r.AddError("--migration must not be empty.");
            }
        });
        var root = new RootCommand("Runbook commands for the LLM provider migration (shadow, report, canary, rollback). Works with every API instance down.");
        root.Options.Add(db);
        root.Options.Add(config);
        root.Options.Add(migrationKey);

        CliContext Context(ParseResult p) => new(host, stdout, stderr, p.GetValue(db), p.GetValue(config), p.GetValue(migrationKey));

        void Action(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> run) =>
            command.SetAction((p, ct) => ExecuteAsync(Context(p), root, command, c => run(c, p, ct), ct));

        // status
        var statusJson = JsonOption();
        var status = new Command("status", "Canary state, weight, step, leader and heartbeat, last decision, shadow settings, data freshness.") { statusJson };
        Action(status, (c, p, ct) => StatusCommand.RunAsync(c, p.GetValue(statusJson), ct));
        root.Subcommands.Add(status);

        // report
        var since = new Option<string?>("--since") { Description = "Only rows since a duration ago (90s, 30m, 1h, 2d, 1w) or an ISO-8601 time. Default: all.", HelpName = "duration" };
        var model = new Option<string?>("--model") { Description = "Only this (primary) model.", HelpName = "model" };
        var reportJson = JsonOption();
        var report = new Command("report", "The shadow report and recommendation (the same figures as GET /migration/report).") { since, model, reportJson };
        Action(report, (c, p, ct) => ReportCommand.RunAsync(c, p.GetValue(since), p.GetValue(model), p.GetValue(reportJson), ct));
        root.Subcommands.Add(report);

        // shadow
        var shadow = new Command("shadow", "Shadow mode at run time: enable, disable, sample-rate.");
        var enable = new Command("enable", "Mirror sampled production requests to the candidate.") { ReasonOption() };
        Action(enable, (c, p, ct) => ShadowCommands.SetAsync(c, true, null, Reason(p, enable), ct));
        var disable = new Command("disable", "Stop mirroring.") { ReasonOption() };
        Action(disable, (c, p, ct) => ShadowCommands.SetAsync(c, false, null, Reason(p, disable), ct));
        var rate = new Argument<double>("rate") { Description = "Share of eligible requests to mirror, 0..1." };
        rate.Validators.Add(r => RequireRange(r, 0, 1, "sample rate"));
        var sampleRate = new Command("sample-rate", "Set the share of requests mirrored.") { rate, ReasonOption() };
        Action(sampleRate, (c, p, ct) => ShadowCommands.SetAsync(c, null, p.GetValue(rate), Reason(p, sampleRate), ct));
        shadow.Subcommands.Add(enable);
        shadow.Subcommands.Add(disable);
        shadow.Subcommands.Add(sampleRate);
        root.Subcommands.Add(shadow);

        // canary
        var canary = new Command("canary", "Canary commands: start, pause, resume, promote, rollback, set-weight, retry, reset.");
        void Simple(string name, string description, Func<string?, CanaryCommand> make)
        {
            var command = new Command(name, description) { ReasonOption() };
            Action(command, (c, p, ct) => CanaryCommands.RunAsync(c, name, make(Reason(p, command)), ct));
            canary.Subcommands.Add(command);
        }

        Simple("start", "Begin the ramp at the first step (from idle or shadow).", CanaryCommand.Start);
        Simple("pause", "Hold the current weight (automatic rollback stays armed).", CanaryCommand.Pause);
        Simple("resume", "Continue a paused ramp.", CanaryCommand.Resume);
        var full = new Option<bool>("--full") { Description = "Go to 100 % at once." };
        var promote = new Command("promote", "Go to the next step (or 100 % with --full).") { full, ReasonOption() };
        Action(promote, (c, p, ct) => CanaryCommands.RunAsync(
            c,
            p.GetValue(full) ? "promote --full" : "promote",
            p.GetValue(full) ? CanaryCommand.PromoteFull(Reason(p, promote)) : CanaryCommand.Promote(Reason(p, promote)),
            ct));
        canary.Subcommands.Add(promote);
        var rollbackReason = new Option<string>("--reason") { Description = "Why (recorded in the audit trail). Required.", HelpName = "text", Required = true };
        rollbackReason.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("--reason must not be empty.");
            }
        });
        var rollback = new Command("rollback", "Weight 0 at once on every instance. Never asks, never waits on an API.") { rollbackReason };
        Action(rollback, (c, p, ct) => CanaryCommands.RunAsync(c, "rollback", CanaryCommand.Rollback(p.GetValue(rollbackReason)), ct));
        canary.Subcommands.Add(rollback);
        var weight = new Argument<double>("weight") { Description = "Percent of live traffic on the candidate, 0..100." };
        weight.Validators.Add(r => RequireRange(r, 0, 100, "weight"));
        var setWeight = new Command("set-weight", "Set the weight by hand (0 returns to shadow).") { weight, ReasonOption() };
        Action(setWeight, (c, p, ct) => CanaryCommands.RunAsync(c, "set-weight", CanaryCommand.SetWeight(p.GetValue(weight), Reason(p, setWeight)), ct));
        canary.Subcommands.Add(setWeight);
        Simple("retry", "Start the ramp again after a rollback.", CanaryCommand.Retry);
        Simple("reset", "Back to idle, weight 0, from any state.", CanaryCommand.Reset);
        root.Subcommands.Add(canary);

        // history
        var limit = new Option<int>("--limit") { Description = "How many events, newest first.", DefaultValueFactory = _ => 20, HelpName = "n" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000)
            {
                r.AddError("--limit must be within 1..10000.");
            }
        });
        var historyJson = JsonOption();
        var history = new Command("history", "The audit trail of canary and shadow changes.") { limit, historyJson };
        Action(history, (c, p, ct) => HistoryCommand.RunAsync(c, p.GetValue(limit), p.GetValue(historyJson), ct));
        root.Subcommands.Add(history);

        // db
        var dbCommand = new Command("db", "Database maintenance: migrate, retention.");
        var migrate = new Command("migrate", "Create the database if needed and apply the schema migrations.");
        Action(migrate, (c, _, ct) => DbCommands.MigrateAsync(c, ct));
        var olderThan = new Option<string>("--older-than") { Description = "Delete shadow results, traffic buckets and candidate attempts older than this (at least 1h, e.g. 14d). Canary events are kept.", DefaultValueFactory = _ => "14d", HelpName = "duration" };
        olderThan.Validators.Add(r =>
        {
            if (!SinceParser.TryParseDuration(r.GetValueOrDefault<string>(), out var age))
            {
                r.AddError($"--older-than '{r.GetValueOrDefault<string>()}' is not a duration (e.g. 12h, 14d, 2w).");
            }
            else if (age < TimeSpan.FromHours(1))
            {
                // One typo (0d) would delete every record the READY decision rests on.
                r.AddError($"--older-than '{r.GetValueOrDefault<string>()}' is under 1h: retention keeps at least the last hour.");
            }
        });
        var retention = new Command("retention", "Delete old shadow results, traffic buckets and candidate attempts.") { olderThan };
        Action(retention, (c, p, ct) =>
        {
            SinceParser.TryParseDuration(p.GetValue(olderThan), out var age);
            return DbCommands.RetentionAsync(c, age, ct);
        });
        dbCommand.Subcommands.Add(migrate);
        dbCommand.Subcommands.Add(retention);
        root.Subcommands.Add(dbCommand);

        return root;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Machine-readable JSON (camelCase) instead of tables." };

    private static Option<string?> ReasonOption() => new("--reason") { Description = "Why (recorded in the audit trail).", HelpName = "text" };

    private static string? Reason(ParseResult parse, Command command) =>
        command.Options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == "--reason") is { } option ? parse.GetValue(option) : null;

    private static void RequireRange(ArgumentResult result, double min, double max, string what)
    {
        if (result.Tokens.Count == 0)
        {
            return;
        }

        var text = result.Tokens[0].Value;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{what} must be a number within {min}..{max} (was '{text}')."));
        }
    }

    private static async Task<int> ExecuteAsync(CliContext ctx, RootCommand root, Command command, Func<CliContext, Task<int>> run, CancellationToken cancellationToken)
    {
        string? Describe(Exception ex)
        {
            string connectionString;
            try
            {
                connectionString = ctx.ConnectionString;
            }
            catch (CliUsageException)
            {
                return null;
            }

            if ((ex as DatabaseUnavailableException ?? DatabaseUnavailableException.TryCreate(connectionString, ex)) is { } unavailable)
            {
                return unavailable.Host is null
                    ? unavailable.Message
                    : $"PostgreSQL at {unavailable.Host}:{unavailable.Port?.ToString(CultureInfo.InvariantCulture)} is not reachable ({unavailable.Reason}); check --db or {PostgresEnvironment.VariableName}";
            }

            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var where = $"{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}";
            return ex switch
            {
                PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                    $"database '{builder.Database}' does not exist on {where}; create it with `{Name} db migrate`",
                PostgresException { SqlState: PostgresErrorCodes.UndefinedTable } =>
                    $"database '{builder.Database}' on {where} has no migration tables; run `{Name} db migrate`",
                PostgresException pg => $"PostgreSQL at {where} refused: {pg.MessageText} ({pg.SqlState})",
                NpgsqlException npgsql => $"PostgreSQL at {where} failed: {npgsql.Message}",
                _ => null,
            };
        }

        try
        {
            return await run(ctx).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            await WriteUsageErrorAsync(ctx.Error, root, command, ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (CliFailure ex)
        {
            await ctx.Error.WriteLineAsync($"{Name}: {CliFormat.OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ctx.Error.WriteLineAsync($"{Name}: cancelled").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex)
        {
            var message = Describe(ex) ?? $"{ex.GetType().Name}: {ex.Message}";
            await ctx.Error.WriteLineAsync($"{Name}: {CliFormat.OneLine(message)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static async Task WriteUsageErrorAsync(TextWriter stderr, RootCommand root, Command command, string reason)
    {
        await stderr.WriteLineAsync($"{Name}: {CliFormat.OneLine(reason)}").ConfigureAwait(false);
        await stderr.WriteLineAsync("usage: " + UsageLine(root, command)).ConfigureAwait(false);
    }

    /// <summary><c>migrationctl canary rollback --reason &lt;text&gt; [options]</c>, or the subcommand list for a group.</summary>
    internal static string UsageLine(RootCommand root, Command command)
    {
        var path = PathTo(root, command) ?? [];
        var parts = new List<string> { Name };
        parts.AddRange(path.Select(c => c.Name));
        if (command.Subcommands.Count > 0)
        {
            parts.Add("<" + string.Join("|", command.Subcommands.Select(c => c.Name)) + ">");
        }

        parts.AddRange(command.Arguments.Select(a => "<" + a.Name + ">"));
        parts.AddRange(command.Options.Where(o => o.Required).Select(o => $"{o.Name} <{o.HelpName ?? "value"}>"));
        parts.Add("[options]");
        return string.Join(' ', parts) + $"   (see {string.Join(' ', new[] { Name }.Concat(path.Select(c => c.Name)))} --help)";
    }

    private static List<Command>? PathTo(Command from, Command target)
    {
        if (ReferenceEquals(from, target))
        {
            return [];
        }

        foreach (var sub in from.Subcommands)
        {
            if (PathTo(sub, target) is { } rest)
            {
                rest.Insert(0, sub);
                return rest;
            }
        }

        return null;
    }
}

using System.Data.Common;
using Migration.Core.Canary;
using Migration.Postgres.Canary;
using Migration.Postgres.Local;
using Migration.Postgres.Storage;
using Npgsql;

namespace Migration.Cli;

/// <summary>One invocation: where to write, whom to act as, which database and thresholds.</summary>
internal sealed class CliContext
{
    /// <summary>Connect timeout added to a connection string that sets none: a rollback must not hang on a dead server.</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    private readonly string? _db;
    private readonly string? _configPath;
    private string? _connectionString;
    private CliConfig? _config;

    private readonly string? _migration;

    public CliContext(CliHost host, TextWriter stdout, TextWriter stderr, string? db, string? configPath, string? migration = null)
    {
        _migration = migration;
        Host = host;
        Out = stdout;
        Error = stderr;
        _db = db;
        _configPath = configPath;
    }

    public CliHost Host { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public TimeProvider Time => Host.Time;

    public string Actor => Host.Actor;

    /// <summary>
    /// The migration key: <c>--migration</c>, else the app's <c>Migration:Canary:Migration</c> from <c>--config</c>,
    /// else <c>default</c> (the app's default too).
    /// </summary>
    public string Migration => _migration ?? Config.Migration ?? Core.Storage.ICanaryStateStore.DefaultMigration;

    /// <summary>The connection string from <c>--db</c> or <c>MIGRATION_DB</c>, with a short connect timeout unless it sets one.</summary>
    public string ConnectionString => _connectionString ??= ResolveConnectionString(_db, Host);

    public CliConfig Config => _config ??= CliConfig.Load(_configPath);

    public CanaryPolicy Policy => new(Config.Canary);

    public PostgresCanaryStore OpenStore() => PostgresCanaryStore.Create(ConnectionString, Time);

    public MigrationDataSource OpenDataSource() => new(ConnectionString);

    public static string ResolveConnectionString(string? db, CliHost host)
    {
        var given = string.IsNullOrWhiteSpace(db) ? host.GetEnvironmentVariable(PostgresEnvironment.VariableName) : db;
        if (string.IsNullOrWhiteSpace(given))
        {
            throw new CliUsageException($"no database: pass --db \"Host=...;Username=...;Database=...\" or set {PostgresEnvironment.VariableName}");
        }

        try
        {
            var keys = new DbConnectionStringBuilder { ConnectionString = given };
            var builder = new NpgsqlConnectionStringBuilder(given);
            if (!keys.ContainsKey("Timeout") && !keys.ContainsKey("Connect Timeout") && !keys.ContainsKey("Connection Timeout"))
            {
                builder.Timeout = DefaultConnectTimeoutSeconds;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException($"invalid connection string: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Migration.Postgres.Entities;

namespace Migration.Postgres;

/// <summary>
/// The harness tables. Names are snake_case, written out here (no naming-convention package).
/// Migrations live in the <c>Migration.Migrations</c> assembly.
/// </summary>
public sealed class MigrationDbContext(DbContextOptions<MigrationDbContext> options) : DbContext(options)
{
    /// <summary>Name of the assembly holding the EF Core migrations.</summary>
    public const string MigrationsAssemblyName = "Migration.Migrations";

    public DbSet<ShadowResultRow> ShadowResults => Set<ShadowResultRow>();

    public DbSet<TrafficBucketRow> TrafficBuckets => Set<TrafficBucketRow>();

    public DbSet<CanaryStateRow> CanaryStates => Set<CanaryStateRow>();

    public DbSet<CanaryEventRow> CanaryEvents => Set<CanaryEventRow>();

    public DbSet<CandidateAttemptRow> CandidateAttempts => Set<CandidateAttemptRow>();

    /// <summary>Configures Npgsql with the migrations assembly; the one place every host configures the context.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssemblyName));
    }

    /// <summary>Options for a context on <paramref name="connectionString"/>.</summary>
    public static DbContextOptions<MigrationDbContext> CreateOptions(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<MigrationDbContext>();
        Configure(builder, connectionString);
        return builder.Options;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        ConfigureShadowResults(modelBuilder);
        ConfigureTrafficBuckets(modelBuilder);
        ConfigureCanaryState(modelBuilder);
        ConfigureCanaryEvents(modelBuilder);
        ConfigureCandidateAttempts(modelBuilder);
    }

    private static void ConfigureShadowResults(ModelBuilder modelBuilder)
    {
        var e = modelBuilder.Entity<ShadowResultRow>();
        e.ToTable("shadow_results");
        e.HasKey(x => x.Id).HasName("pk_shadow_results");
        e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        e.Property(x => x.Time).HasColumnName("time").HasColumnType("timestamptz");
        e.Property(x => x.Kind).HasColumnName("kind").HasDefaultValue("candidate");
        e.Property(x => x.RequestId).HasColumnName("request_id");
        e.Property(x => x.Route).HasColumnName("route");
        e.Property(x => x.PrimaryModel).HasColumnName("primary_model");
        e.Property(x => x.CandidateModel).HasColumnName("candidate_model");
        e.Property(x => x.Streamed).HasColumnName("streamed");
        e.Property(x => x.PrimaryStatus).HasColumnName("primary_status");
        e.Property(x => x.CandidateStatus).HasColumnName("candidate_status");
        e.Property(x => x.PrimaryLatencyMs).HasColumnName("primary_latency_ms");
        e.Property(x => x.CandidateLatencyMs).HasColumnName("candidate_latency_ms");
        e.Property(x => x.PrimaryTtftMs).HasColumnName("primary_ttft_ms");
        e.Property(x => x.CandidateTtftMs).HasColumnName("candidate_ttft_ms");
        e.Property(x => x.PrimaryFirstByteMs).HasColumnName("primary_first_byte_ms");
        e.Property(x => x.CandidateFirstByteMs).HasColumnName("candidate_first_byte_ms");
        e.Property(x => x.PrimaryTokensEstimated).HasColumnName("primary_tokens_estimated");
        e.Property(x => x.CandidateTokensEstimated).HasColumnName("candidate_tokens_estimated");
        e.Property(x => x.PrimaryTokensIn).HasColumnName("primary_tokens_in");
        e.Property(x => x.PrimaryTokensOut).HasColumnName("primary_tokens_out");
        e.Property(x => x.CandidateTokensIn).HasColumnName("candidate_tokens_in");
        e.Property(x => x.CandidateTokensOut).HasColumnName("candidate_tokens_out");
        e.Property(x => x.PrimaryCostUsd).HasColumnName("primary_cost_usd").HasColumnType("numeric(24,12)");
        e.Property(x => x.CandidateCostUsd).HasColumnName("candidate_cost_usd").HasColumnType("numeric(24,12)");
        e.Property(x => x.MatchScore).HasColumnName("match_score");
        e.Property(x => x.MatchTier).HasColumnName("match_tier");
        e.Property(x => x.SemanticSkipped).HasColumnName("semantic_skipped");
        e.Property(x => x.ScoringModel).HasColumnName("scoring_model");
        e.Property(x => x.ScoringTokens).HasColumnName("scoring_tokens");
        e.Property(x => x.ScoringCostUsd).HasColumnName("scoring_cost_usd").HasColumnType("numeric(24,12)");
        e.Property(x => x.Verdict).HasColumnName("verdict");
        e.Property(x => x.CandidateErrorClass).HasColumnName("candidate_error_class");
        e.Property(x => x.DiffSummary).HasColumnName("diff_summary").HasColumnType("jsonb");
        e.Property(x => x.RequestBody).HasColumnName("request_body");
        e.Property(x => x.PrimaryBody).HasColumnName("primary_body");
        e.Property(x => x.CandidateBody).HasColumnName("candidate_body");
        e.Property(x => x.Error).HasColumnName("error");
        e.Property(x => x.Instance).HasColumnName("instance");
        e.HasIndex(x => x.Time).HasDatabaseName("ix_shadow_results_time");
        e.HasIndex(x => new { x.PrimaryModel, x.Time }).HasDatabaseName("ix_shadow_results_primary_model_time");
        e.HasIndex(x => new { x.Verdict, x.Time }).HasDatabaseName("ix_shadow_results_verdict_time");
    }

    private static void ConfigureTrafficBuckets(ModelBuilder modelBuilder)
    {
        var e = modelBuilder.Entity<TrafficBucketRow>();
        e.ToTable("traffic_buckets");
        e.HasKey(x => x.Id).HasName("pk_traffic_buckets");
        e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        e.Property(x => x.Second).HasColumnName("second").HasColumnType("timestamptz");
        e.Property(x => x.Instance).HasColumnName("instance");
        e.Property(x => x.Arm).HasColumnName("arm");
        e.Property(x => x.Model).HasColumnName("model");
        e.Property(x => x.Requests).HasColumnName("requests");
        e.Property(x => x.Successes).HasColumnName("successes");
        e.Property(x => x.ErrorsTimeout).HasColumnName("errors_timeout");
        e.Property(x => x.ErrorsRateLimited).HasColumnName("errors_rate_limited");
        e.Property(x => x.ErrorsServer).HasColumnName("errors_server");
        e.Property(x => x.ErrorsClient).HasColumnName("errors_client");
        e.Property(x => x.ErrorsConnection).HasColumnName("errors_connection");
        e.Property(x => x.Fallbacks).HasColumnName("fallbacks");
        e.Property(x => x.ErrorsOther).HasColumnName("errors_other");
        e.Property(x => x.ShadowSampled).HasColumnName("shadow_sampled");
        e.Property(x => x.ShadowDropped).HasColumnName("shadow_dropped");
        e.Property(x => x.LatencyHist).HasColumnName("latency_hist").HasColumnType("bytea");
        e.Property(x => x.TtftHist).HasColumnName("ttft_hist").HasColumnType("bytea");
        e.HasIndex(x => x.Second).HasDatabaseName("ix_traffic_buckets_second");
        e.HasIndex(x => new { x.Arm, x.Model, x.Second }).HasDatabaseName("ix_traffic_buckets_arm_model_second");
    }

    private static void ConfigureCanaryState(ModelBuilder modelBuilder)
    {
        var e = modelBuilder.Entity<CanaryStateRow>();
        e.ToTable("canary_state");
        e.HasKey(x => x.Migration).HasName("pk_canary_state");
        e.Property(x => x.Migration).HasColumnName("migration").HasDefaultValue(CanaryStateRow.DefaultMigration);
        e.Property(x => x.State).HasColumnName("state");
        e.Property(x => x.StepIndex).HasColumnName("step_index");
        e.Property(x => x.Weight).HasColumnName("weight").HasColumnType("double precision");
        e.Property(x => x.Paused).HasColumnName("paused");
        e.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at").HasColumnType("timestamptz");
        e.Property(x => x.Reason).HasColumnName("reason");
        e.Property(x => x.StepStartedAt).HasColumnName("step_started_at").HasColumnType("timestamptz");
        e.Property(x => x.ShadowEnabled).HasColumnName("shadow_enabled");
        e.Property(x => x.ShadowSampleRate).HasColumnName("shadow_sample_rate");
        e.Property(x => x.LeaderInstance).HasColumnName("leader_instance");
        e.Property(x => x.LeaderHeartbeatAt).HasColumnName("leader_heartbeat_at").HasColumnType("timestamptz");
        e.Property(x => x.LastDecision).HasColumnName("last_decision").HasColumnType("jsonb");
    }

    private static void ConfigureCanaryEvents(ModelBuilder modelBuilder)
    {
        var e = modelBuilder.Entity<CanaryEventRow>();
        e.ToTable("canary_events");
        e.HasKey(x => x.Id).HasName("pk_canary_events");
        e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        e.Property(x => x.Migration).HasColumnName("migration");
        e.Property(x => x.Time).HasColumnName("time").HasColumnType("timestamptz");
        e.Property(x => x.FromState).HasColumnName("from_state");
        e.Property(x => x.ToState).HasColumnName("to_state");
        e.Property(x => x.FromWeight).HasColumnName("from_weight");
        e.Property(x => x.ToWeight).HasColumnName("to_weight");
        e.Property(x => x.Actor).HasColumnName("actor");
        e.Property(x => x.Reason).HasColumnName("reason");
        e.Property(x => x.Metrics).HasColumnName("metrics").HasColumnType("jsonb");
        e.HasIndex(x => new { x.Migration, x.Time })
            .IsDescending(false, true)
            .HasDatabaseName("ix_canary_events_migration_time");
    }

    private static void ConfigureCandidateAttempts(ModelBuilder modelBuilder)
    {
        var e = modelBuilder.Entity<CandidateAttemptRow>();
        e.ToTable("candidate_attempts");
        e.HasKey(x => x.Id).HasName("pk_candidate_attempts");
        e.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        e.Property(x => x.Time).HasColumnName("time").HasColumnType("timestamptz");
        e.Property(x => x.RequestId).HasColumnName("request_id");
        e.Property(x => x.Route).HasColumnName("route");
        e.Property(x => x.Reason).HasColumnName("reason");
        e.Property(x => x.RequestedModel).HasColumnName("requested_model");
        e.Property(x => x.Model).HasColumnName("model");
        e.Property(x => x.Attempt).HasColumnName("attempt");
        e.Property(x => x.Outcome).HasColumnName("outcome");
        e.Property(x => x.ErrorClass).HasColumnName("error_class");
        e.Property(x => x.Status).HasColumnName("status");
        e.Property(x => x.LatencyMs).HasColumnName("latency_ms");
        e.Property(x => x.TtftMs).HasColumnName("ttft_ms");
        e.Property(x => x.TokensIn).HasColumnName("tokens_in");
        e.Property(x => x.TokensOut).HasColumnName("tokens_out");
        e.Property(x => x.CostUsd).HasColumnName("cost_usd").HasColumnType("numeric(24,12)");
        e.Property(x => x.Message).HasColumnName("message");
        e.HasIndex(x => x.Time).HasDatabaseName("ix_candidate_attempts_time");
        e.HasIndex(x => new { x.RequestedModel, x.Time }).HasDatabaseName("ix_candidate_attempts_requested_model_time");
    }
}

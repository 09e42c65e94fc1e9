using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Migration.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Microsoft.EntityFrameworkCore.Migrations.Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "canary_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    migration = table.Column<string>(type: "text", nullable: false),
                    time = table.Column<DateTimeOffset>(type: "timestamptz", nullable: false),
                    from_state = table.Column<string>(type: "text", nullable: false),
                    to_state = table.Column<string>(type: "text", nullable: false),
                    from_weight = table.Column<double>(type: "double precision", nullable: false),
                    to_weight = table.Column<double>(type: "double precision", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    metrics = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_canary_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "canary_state",
                columns: table => new
                {
                    migration = table.Column<string>(type: "text", nullable: false, defaultValue: "default"),
                    state = table.Column<string>(type: "text", nullable: false),
                    step_index = table.Column<int>(type: "integer", nullable: false),
                    weight = table.Column<double>(type: "double precision", nullable: false),
                    paused = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamptz", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    step_started_at = table.Column<DateTimeOffset>(type: "timestamptz", nullable: true),
                    shadow_enabled = table.Column<bool>(type: "boolean", nullable: true),
                    shadow_sample_rate = table.Column<double>(type: "double precision", nullable: true),
                    leader_instance = table.Column<string>(type: "text", nullable: true),
                    leader_heartbeat_at = table.Column<DateTimeOffset>(type: "timestamptz", nullable: true),
                    last_decision = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_canary_state", x => x.migration);
                });

            migrationBuilder.CreateTable(
                name: "shadow_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    time = table.Column<DateTimeOffset>(type: "timestamptz", nullable: false),
                    request_id = table.Column<string>(type: "text", nullable: false),
                    route = table.Column<string>(type: "text", nullable: false),
                    primary_model = table.Column<string>(type: "text", nullable: false),
                    candidate_model = table.Column<string>(type: "text", nullable: false),
                    streamed = table.Column<bool>(type: "boolean", nullable: false),
                    primary_status = table.Column<int>(type: "integer", nullable: false),
                    candidate_status = table.Column<int>(type: "integer", nullable: true),
                    primary_latency_ms = table.Column<double>(type: "double precision", nullable: false),
                    candidate_latency_ms = table.Column<double>(type: "double precision", nullable: true),
                    primary_ttft_ms = table.Column<double>(type: "double precision", nullable: true),
                    candidate_ttft_ms = table.Column<double>(type: "double precision", nullable: true),
                    primary_tokens_in = table.Column<int>(type: "integer", nullable: true),
                    primary_tokens_out = table.Column<int>(type: "integer", nullable: true),
                    candidate_tokens_in = table.Column<int>(type: "integer", nullable: true),
                    candidate_tokens_out = table.Column<int>(type: "integer", nullable: true),
                    primary_cost_usd = table.Column<decimal>(type: "numeric(24,12)", nullable: true),
                    candidate_cost_usd = table.Column<decimal>(type: "numeric(24,12)", nullable: true),
                    match_score = table.Column<double>(type: "double precision", nullable: true),
                    verdict = table.Column<string>(type: "text", nullable: false),
                    candidate_error_class = table.Column<string>(type: "text", nullable: false),
                    diff_summary = table.Column<string>(type: "jsonb", nullable: true),
                    request_body = table.Column<string>(type: "text", nullable: true),
                    primary_body = table.Column<string>(type: "text", nullable: true),
                    candidate_body = table.Column<string>(type: "text", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    instance = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shadow_results", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "traffic_buckets",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    second = table.Column<DateTimeOffset>(type: "timestamptz", nullable: false),
                    instance = table.Column<string>(type: "text", nullable: false),
                    arm = table.Column<string>(type: "text", nullable: false),
                    model = table.Column<string>(type: "text", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    successes = table.Column<long>(type: "bigint", nullable: false),
                    errors_timeout = table.Column<long>(type: "bigint", nullable: false),
                    errors_rate_limited = table.Column<long>(type: "bigint", nullable: false),
                    errors_server = table.Column<long>(type: "bigint", nullable: false),
                    errors_client = table.Column<long>(type: "bigint", nullable: false),
                    errors_connection = table.Column<long>(type: "bigint", nullable: false),
                    fallbacks = table.Column<long>(type: "bigint", nullable: false),
                    errors_other = table.Column<long>(type: "bigint", nullable: false),
                    shadow_sampled = table.Column<long>(type: "bigint", nullable: false),
                    shadow_dropped = table.Column<long>(type: "bigint", nullable: false),
                    latency_hist = table.Column<byte[]>(type: "bytea", nullable: false),
                    ttft_hist = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_traffic_buckets", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_canary_events_migration_time",
                table: "canary_events",
                columns: new[] { "migration", "time" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_shadow_results_primary_model_time",
                table: "shadow_results",
                columns: new[] { "primary_model", "time" });

            migrationBuilder.CreateIndex(
                name: "ix_shadow_results_time",
                table: "shadow_results",
                column: "time");

            migrationBuilder.CreateIndex(
                name: "ix_shadow_results_verdict_time",
                table: "shadow_results",
                columns: new[] { "verdict", "time" });

            migrationBuilder.CreateIndex(
                name: "ix_traffic_buckets_arm_model_second",
                table: "traffic_buckets",
                columns: new[] { "arm", "model", "second" });

            migrationBuilder.CreateIndex(
                name: "ix_traffic_buckets_second",
                table: "traffic_buckets",
                column: "second");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "canary_events");

            migrationBuilder.DropTable(
                name: "canary_state");

            migrationBuilder.DropTable(
                name: "shadow_results");

            migrationBuilder.DropTable(
                name: "traffic_buckets");
        }
    }
}

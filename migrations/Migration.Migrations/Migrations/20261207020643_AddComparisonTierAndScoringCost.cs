using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Migration.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddComparisonTierAndScoringCost : Microsoft.EntityFrameworkCore.Migrations.Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "match_tier",
                table: "shadow_results",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "scoring_cost_usd",
                table: "shadow_results",
                type: "numeric(24,12)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scoring_model",
                table: "shadow_results",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "scoring_tokens",
                table: "shadow_results",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "semantic_skipped",
                table: "shadow_results",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "match_tier",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "scoring_cost_usd",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "scoring_model",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "scoring_tokens",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "semantic_skipped",
                table: "shadow_results");
        }
    }
}

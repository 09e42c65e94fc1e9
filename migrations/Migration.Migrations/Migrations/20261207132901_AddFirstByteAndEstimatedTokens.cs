using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Migration.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddFirstByteAndEstimatedTokens : Microsoft.EntityFrameworkCore.Migrations.Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "candidate_first_byte_ms",
                table: "shadow_results",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "candidate_tokens_estimated",
                table: "shadow_results",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "primary_first_byte_ms",
                table: "shadow_results",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "primary_tokens_estimated",
                table: "shadow_results",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "candidate_first_byte_ms",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "candidate_tokens_estimated",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "primary_first_byte_ms",
                table: "shadow_results");

            migrationBuilder.DropColumn(
                name: "primary_tokens_estimated",
                table: "shadow_results");
        }
    }
}

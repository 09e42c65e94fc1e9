using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Migration.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddShadowKind : Microsoft.EntityFrameworkCore.Migrations.Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "shadow_results",
                type: "text",
                nullable: false,
                defaultValue: "candidate");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "kind",
                table: "shadow_results");
        }
    }
}

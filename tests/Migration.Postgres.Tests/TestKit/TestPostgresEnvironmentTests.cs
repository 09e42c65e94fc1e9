using Migration.TestKit;

namespace Migration.Postgres.Tests.TestKit;

public sealed class TestPostgresEnvironmentTests
{
    [Theory]
    [InlineData(null, TestPostgresKind.Local)]
    [InlineData("", TestPostgresKind.Local)]
    [InlineData("local", TestPostgresKind.Local)]
    [InlineData("LOCAL", TestPostgresKind.Local)]
    [InlineData("testcontainers", TestPostgresKind.Testcontainers)]
    [InlineData(" Testcontainers ", TestPostgresKind.Testcontainers)]
    public void Parse_Value_SelectsKind(string? value, TestPostgresKind expected)
    {
        Assert.Equal(expected, TestPostgresEnvironment.Parse(value));
    }

    [Fact]
    public void Parse_Unknown_FailsNamingTheVariableAndTheChoices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestPostgresEnvironment.Parse("docker"));

        Assert.Contains("MIGRATION_TEST_POSTGRES='docker'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'local'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'testcontainers'", error.Message, StringComparison.Ordinal);
    }
}

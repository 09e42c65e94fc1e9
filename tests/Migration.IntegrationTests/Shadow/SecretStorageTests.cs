using Migration.IntegrationTests.Stack;
using Npgsql;

namespace Migration.IntegrationTests.Shadow;

/// <summary>No configured credential ends up in the database, even with bodies stored in full.</summary>
public sealed class SecretStorageTests
{
    private const string PastedEmail = "jane.doe@example.com";

    [Fact]
    public async Task Run_FullBodiesAndKeysInPrompts_NoTextOrJsonColumnHoldsAKey()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Settings = { ["Migration:Shadow:StoreContent"] = "Full" },
        });
        var prompt = $"My OpenAI key is {StackKeys.Primary}, the relay key is {StackKeys.Candidate}, the admin key {StackKeys.Admin}; mail me at {PastedEmail}.";
        (string Route, string Body)[] requests =
        [
            (OpenAIRequests.ChatRoute, OpenAIRequests.Chat(prompt)),
            (OpenAIRequests.ChatRoute, OpenAIRequests.ChatStream(prompt)),
            (OpenAIRequests.EmbeddingsRoute, OpenAIRequests.Embeddings(prompt)),
            (OpenAIRequests.ChatRoute, OpenAIRequests.Chat(prompt, model: "gpt-unknown-model")),
        ];
        foreach (var (route, body) in requests)
        {
            await stack.PostAsync(route, body);
        }

        // Candidate errors too: their texts are stored.
        stack.Candidate!.Faults = new Simulator.FaultSettings { Error500Rate = 1 };
        await stack.PostAsync(OpenAIRequests.ChatRoute, OpenAIRequests.Chat(prompt + " again"));

        await stack.WaitForShadowRowsAsync(requests.Length + 1);
        await stack.WaitForQuietAsync();

        // The test is real: bodies were stored in full (the pasted email is kept verbatim) and keys were masked.
        Assert.True(await stack.CountShadowRowsAsync($"request_body LIKE '%{PastedEmail}%' AND request_body LIKE '%[REDACTED]%'") >= requests.Length);

        var columns = await TextColumnsAsync(stack);
        Assert.Contains(("shadow_results", "request_body"), columns);
        Assert.Contains(("shadow_results", "diff_summary"), columns);
        foreach (var key in new[] { StackKeys.Primary, StackKeys.Candidate, StackKeys.Admin })
        {
            foreach (var (table, column) in columns)
            {
                var hits = await stack.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\" WHERE strpos(\"{column}\"::text, '{key}') > 0");
                Assert.True(hits == 0, $"{table}.{column} holds a configured key in {hits} row(s).");
            }
        }
    }

    private static async Task<List<(string Table, string Column)>> TextColumnsAsync(MigrationStack stack)
    {
        await using var connection = await stack.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            ORDER BY 1, 2
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }
}

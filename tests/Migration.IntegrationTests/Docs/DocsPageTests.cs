using System.Text.RegularExpressions;
using Migration.IntegrationTests.Playbooks;

namespace Migration.IntegrationTests.Docs;

/// <summary>
/// The README and the reference pages in <c>docs/</c> may not name a <c>migrationctl</c> command, an option of it or a
/// <c>Migration:...</c> configuration name that does not exist; every page is reachable from the README.
/// </summary>
public sealed partial class DocsPageTests
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var page in AllPages())
        {
            data.Add(Path.GetRelativePath(PlaybookCommands.FindRepositoryDirectory(), page));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_MigrationctlCommands_ExistWithTheirOptions(string page)
    {
        var path = Path.Combine(PlaybookCommands.FindRepositoryDirectory(), page);
        var lines = File.ReadAllLines(path);

        var problems = new List<string>();
        foreach (var command in PlaybookCommands.Extract(page, lines))
        {
            problems.AddRange(CommandNames.ParseProblems(command.Arguments).Select(p => $"{command}: {p}"));
        }

        foreach (var command in PlaybookCommands.ExtractNamed(page, lines))
        {
            problems.AddRange(CommandNames.NameProblems(command.Text).Select(p => $"{command}: {p}"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_MigrationOptionNames_AreBoundByTheCode(string page)
    {
        var lines = File.ReadAllLines(Path.Combine(PlaybookCommands.FindRepositoryDirectory(), page));

        var problems = lines
            .SelectMany((line, i) => OptionNames.Find(line).Select(name => (Line: i + 1, Problem: OptionNames.Problem(name))))
            .Where(p => p.Problem is not null)
            .Select(p => $"{page}:{p.Line}: {p.Problem}")
            .ToList();

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Readme_LinksEveryDocsPage_AndStaysShort()
    {
        var root = PlaybookCommands.FindRepositoryDirectory();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var index = File.ReadAllText(Path.Combine(root, "docs", "README.md"));
        var linked = Links(readme).Select(l => Path.GetFullPath(Path.Combine(root, l)))
            .Concat(Links(index).Select(l => Path.GetFullPath(Path.Combine(root, "docs", l))))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains(Path.Combine(root, "docs", "README.md"), linked);
        var unreachable = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Where(p => !linked.Contains(p)).ToList();
        Assert.True(unreachable.Count == 0, "not linked from README.md or docs/README.md: " + string.Join(", ", unreachable));
        Assert.InRange(readme.Split('\n').Length, 1, 130);
    }

    [Fact]
    public void Readme_TheTwoCommands_AreTheFirstLines()
    {
        var lines = File.ReadAllLines(Path.Combine(PlaybookCommands.FindRepositoryDirectory(), "README.md"));

        var commands = PlaybookCommands.Split(lines.SkipWhile(l => l != "```bash").Skip(1).First()).ToList();
        Assert.Equal(["dotnet", "run", "--project", "src/Migration.SampleApi", "--", "--demo"], commands.TakeWhile(w => w != "#"));
        Assert.StartsWith("dotnet test ", lines.SkipWhile(l => l != "```bash").Skip(2).First(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrationctl canary rollback --reson x", "'rollback' has no option '--reson'")]
    [InlineData("migrationctl canary fly", "'canary' has no command 'fly'")]
    [InlineData("migrationctl shadow enable | disable | sample-rate <0..1> [--reason <text>]", null)]
    [InlineData("migrationctl shadow enable | disbale", "'shadow' has no command 'disbale'")]
    [InlineData("migrationctl --db <connection-string> report --since 1h --json", null)]
    [InlineData("migrationctl [--db <connection-string>] [--config <appsettings.json>] <command>", null)]
    [InlineData("migrationctl status --jsn", "'status' has no option '--jsn'")]
    public void NameProblems_CommandWithPlaceholders_FindsUnknownNamesOnly(string text, string? expected)
    {
        var problems = CommandNames.NameProblems(text);

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal([expected], problems);
        }
    }

    [Theory]
    [InlineData("Migration:Shadow:SampleRate", null)]
    [InlineData("Migration:Shadow:SampelRate", "'Migration:Shadow:SampelRate': ShadowOptions has no option 'SampelRate'")]
    [InlineData("Migration:Candidate:ModelMap:<model>", null)]
    [InlineData("Migration:Candidate:FallbackModels:gpt-4.1:0", null)]
    [InlineData("Migration:Pricing:<model>:InputPerMTok", null)]
    [InlineData("Migration:Pricing:<model>:InputPrice", "'Migration:Pricing:<model>:InputPrice': ModelPriceOptions has no option 'InputPrice'")]
    [InlineData("Migration:Health:Failover:Cooldown", null)]
    [InlineData("Migration:Readiness:*", null)]
    [InlineData("Migration:Shadow:Timeout:Seconds", "'Migration:Shadow:Timeout:Seconds': TimeSpan has no option 'Seconds'")]
    [InlineData("Migration:Nope", "'Migration:Nope': MigrationHarnessOptions has no option 'Nope'")]
    public void Problem_OptionName_CheckedAgainstTheBoundTypes(string name, string? expected)
    {
        Assert.Equal(expected, OptionNames.Problem(name));
    }

    [Fact]
    public void Find_OptionNamesInText_StopAtPunctuation()
    {
        var names = OptionNames.Find("`Migration:Shadow:SampleRate: must be` and Migration:Canary:Migration, not Migration.Harness").ToList();

        Assert.Equal(["Migration:Shadow:SampleRate", "Migration:Canary:Migration"], names);
    }

    private static IEnumerable<string> AllPages()
    {
        var root = PlaybookCommands.FindRepositoryDirectory();
        return [Path.Combine(root, "README.md"), .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Links(string markdown) =>
        LinkTarget().Matches(markdown).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://", StringComparison.Ordinal));

    [GeneratedRegex(@"\]\(([^)#\s]+)(?:#[^)]*)?\)")]
    private static partial Regex LinkTarget();
}

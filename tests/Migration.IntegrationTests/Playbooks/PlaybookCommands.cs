using System.Text;
using System.Text.RegularExpressions;

namespace Migration.IntegrationTests.Playbooks;

/// <summary>One <c>migrationctl</c> line of a playbook's bash block.</summary>
internal sealed record PlaybookCommand(string File, int Line, string Text, string[] Arguments, int ExpectedExit)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>Extracts the <c>migrationctl</c> commands of the playbooks, in page order.</summary>
internal static partial class PlaybookCommands
{
    public static string FindPlaybooksDirectory() => Path.Combine(FindRepositoryDirectory(), "playbooks");

    /// <summary>The repository root: the first directory above the test binaries holding <c>Migration.sln</c>.</summary>
    public static string FindRepositoryDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Migration.sln")) && Directory.Exists(Path.Combine(dir.FullName, "playbooks")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Migration.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Numbered pages first (01-prepare ... 05-rollback), then the incident pages, alphabetically.</summary>
    public static IReadOnlyList<string> Pages(string directory) =>
        [.. Directory.GetFiles(directory, "*.md")
            .Where(f => !string.Equals(Path.GetFileName(f), "README.md", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => char.IsDigit(Path.GetFileName(f)[0]) ? 0 : 1)
            .ThenBy(f => Path.GetFileName(f), StringComparer.Ordinal)];

    public static IReadOnlyList<PlaybookCommand> Extract(string path) => Extract(Path.GetFileName(path), File.ReadAllLines(path));

    public static IReadOnlyList<PlaybookCommand> Extract(string file, IReadOnlyList<string> lines)
    {
        var commands = new List<PlaybookCommand>();
        var inBash = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBash = !inBash && line is "```bash" or "```sh" or "```shell";
                continue;
            }

            if (!inBash || !line.StartsWith("migrationctl ", StringComparison.Ordinal))
            {
                continue;
            }

            var expected = 0;
            var text = line;
            var comment = ExitComment().Match(line);
            if (comment.Success)
            {
                expected = int.Parse(comment.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                text = line[..comment.Index].TrimEnd();
                if (expected == 2)
                {
                    // Exit 2 is bad usage: a page must never show a command or option the tool does not have.
                    throw new InvalidOperationException($"{file}:{i + 1}: '# exit 2' is not allowed (bad usage); fix the command instead");
                }
            }

            commands.Add(new PlaybookCommand(file, i + 1, text, [.. Split(text).Skip(1)], expected));
        }

        return commands;
    }

    /// <summary>
    /// The <c>migrationctl</c> commands a page names outside its bash blocks: inline code spans
    /// (<c>`migrationctl canary rollback --reason "..."`</c>) and lines of other fenced blocks (a usage synopsis).
    /// They may hold placeholders (<c>&lt;text&gt;</c>, <c>[--json]</c>, <c>a | b</c>), so they are checked by
    /// command and option names, not run.
    /// </summary>
    public static IReadOnlyList<PlaybookCommand> ExtractNamed(string file, IReadOnlyList<string> lines)
    {
        var commands = new List<PlaybookCommand>();
        string? fence = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fence = fence is null ? line : null;
                continue;
            }

            if (fence is null)
            {
                foreach (Match span in InlineCommand().Matches(lines[i]))
                {
                    commands.Add(new PlaybookCommand(file, i + 1, span.Groups[1].Value, [], 0));
                }
            }
            else if (fence is not ("```bash" or "```sh" or "```shell") && line.StartsWith("migrationctl ", StringComparison.Ordinal))
            {
                commands.Add(new PlaybookCommand(file, i + 1, line, [], 0));
            }
        }

        return commands;
    }

    /// <summary>Splits a shell line into words: double and single quotes, no expansion.</summary>
    public static IEnumerable<string> Split(string line)
    {
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    yield return word.ToString();
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"unbalanced quote in: {line}");
        }

        if (inWord)
        {
            yield return word.ToString();
        }
    }

    [GeneratedRegex(@"`(migrationctl [^`]+)`")]
    private static partial Regex InlineCommand();

    [GeneratedRegex(@"#\s*exit\s+(\d+)\s*$")]
    private static partial Regex ExitComment();
}

using System.Globalization;

namespace Migration.Postgres.Local;

/// <summary>Finds the folder holding <c>initdb</c> and <c>pg_ctl</c>.</summary>
internal static class PostgresBinaries
{
    public static string Find(string? explicitDirectory) => FindIn(Candidates(explicitDirectory));

    public static string FindIn(IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (HasTools(candidate))
            {
                return candidate;
            }
        }

        throw new PostgresBinariesNotFoundException();
    }

    private static IEnumerable<string> Candidates(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            yield return explicitDirectory;
        }

        var fromEnv = Environment.GetEnvironmentVariable(PostgresEnvironment.BinariesVariableName);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            yield return fromEnv;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        var fromPgConfig = PgConfigBinDir();
        if (fromPgConfig is not null)
        {
            yield return fromPgConfig;
        }

        foreach (var dir in VersionedDirectories("/usr/lib/postgresql", "bin"))
        {
            yield return dir;
        }

        foreach (var dir in VersionedDirectories("/usr", "bin", "pgsql-"))
        {
            yield return dir;
        }

        yield return "/usr/local/pgsql/bin";
        yield return "/opt/homebrew/bin";
    }

    private static bool HasTools(string dir) =>
        File.Exists(Path.Combine(dir, Exe("initdb"))) && File.Exists(Path.Combine(dir, Exe("pg_ctl")));

    private static string Exe(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    private static string? PgConfigBinDir()
    {
        try
        {
            var output = ProcessRunner.RunAsync("pg_config", ["--bindir"], TimeSpan.FromSeconds(10), CancellationToken.None)
                .GetAwaiter().GetResult();
            var dir = output.Trim();
            return dir.Length == 0 ? null : dir;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Subfolders named by version (e.g. /usr/lib/postgresql/15/bin), highest version first.</summary>
    private static IEnumerable<string> VersionedDirectories(string root, string child, string prefix = "")
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.GetDirectories(root, prefix + "*")
            .Select(d => (Dir: d, Version: ParseVersion(Path.GetFileName(d)[prefix.Length..])))
            .Where(x => x.Version is not null)
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, child))
            .ToList();
    }

    private static Version? ParseVersion(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return new Version(major, 0);
        }

        return Version.TryParse(text, out var version) ? version : null;
    }
}

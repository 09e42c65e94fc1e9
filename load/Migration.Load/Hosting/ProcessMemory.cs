using System.Globalization;

namespace Migration.Load.Hosting;

/// <summary>Resident set size of a process from <c>/proc/&lt;pid&gt;/status</c> (VmRSS).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in MB, or null when not readable (not Linux, process gone).</summary>
    public static double? WorkingSetMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return ParseKilobytes(line) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Parses "VmRSS:    123456 kB".</summary>
    internal static long ParseKilobytes(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
    }
}

namespace Migration.Core.Comparison;

/// <summary>The one text form of each <see cref="Verdict"/>: exact, equivalent, similar, different, error.</summary>
public static class VerdictNames
{
    /// <summary>The text of <paramref name="verdict"/>.</summary>
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Exact => "exact",
        Verdict.Equivalent => "equivalent",
        Verdict.Similar => "similar",
        Verdict.Different => "different",
        Verdict.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>The verdict named <paramref name="value"/> (as <see cref="Of"/> writes it).</summary>
    /// <exception cref="InvalidOperationException">No verdict has that name.</exception>
    public static Verdict Parse(string value) =>
        Enum.GetValues<Verdict>().First(v => Of(v) == value);
}

namespace Migration.AspNetCore.Configuration;

/// <summary>How answers are compared (section <c>Migration:Comparison</c>).</summary>
public sealed class ComparisonOptions
{
    /// <summary>Lexical similarity (0..1) at or above which answers count as <c>similar</c>. Default 0.8.</summary>
    public double SimilarThreshold { get; set; } = 0.8;
}

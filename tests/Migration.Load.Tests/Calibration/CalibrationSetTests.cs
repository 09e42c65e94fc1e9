using Migration.Load.Calibration;

namespace Migration.Load.Tests.Calibration;

public sealed class CalibrationSetTests
{
    [Fact]
    public void The_checked_in_set_covers_every_category_and_kind_the_issue_names()
    {
        var pairs = CalibrationSet.Load();
        Assert.InRange(pairs.Count, 150, 2000);
        foreach (var category in new[] { "prose", "short", "code", "json", "long", "vi", "zh" })
        {
            Assert.Contains(pairs, p => p.Category == category && p.Same);
            Assert.Contains(pairs, p => p.Category == category && !p.Same);
        }

        foreach (var kind in new[] { "paraphrase", "number", "negation", "entity", "swap", "code", "json", "last-paragraph", "unrelated" })
        {
            Assert.Contains(pairs, p => p.Kind == kind);
        }

        Assert.Equal(pairs.Count, pairs.Select(p => p.Id).Distinct().Count());
        Assert.DoesNotContain(pairs, p => p.A == p.B);
    }

    [Fact]
    public void A_seed_expands_to_every_same_and_different_pair()
    {
        var seed = new CalibrationSet.Seed("s", "prose", "en", "base", ["p1", "p2"], [new("negation", "neg"), new("partial", "half", 0.5)]);
        var pairs = CalibrationSet.Expand([seed, seed with { Id = "t", Text = "other" }]);
        var s = pairs.Where(p => p.Id.StartsWith("s/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3 + 3 + 3 + 1, s.Count); // base-p1, base-p2, p1-p2; 3 per variant; unrelated s-t
        Assert.Equal(3, s.Count(p => p.Kind == "paraphrase" && p.Grade == 1.0));
        Assert.Contains(s, p => p.A == "p2" && p.B == "neg" && !p.Same);
        Assert.Contains(s, p => p.B == "half" && p.Grade == 0.5 && !p.Same);
        Assert.Contains(s, p => p.Kind == "unrelated" && p.A == "base" && p.B == "other");
    }
}

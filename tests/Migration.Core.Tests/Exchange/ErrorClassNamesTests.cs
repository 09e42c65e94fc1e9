using Migration.Core.Exchange;

namespace Migration.Core.Tests.Exchange;

public sealed class ErrorClassNamesTests
{
    [Fact]
    public void Of_EveryErrorClass_DistinctSnakeCaseNameThatParsesBack()
    {
        var names = Enum.GetValues<ErrorClass>().Select(ErrorClassNames.Of).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(_[a-z]+)*$", n));
        Assert.All(Enum.GetValues<ErrorClass>(), e => Assert.Equal(e, ErrorClassNames.Parse(ErrorClassNames.Of(e))));
        Assert.Equal(("none", "rate_limited", "truncated_stream"), (ErrorClassNames.Of(ErrorClass.None), ErrorClassNames.Of(ErrorClass.RateLimited), ErrorClassNames.Of(ErrorClass.TruncatedStream)));
    }

    [Fact]
    public void Parse_UnknownName_Throws() =>
        Assert.Throws<InvalidOperationException>(() => ErrorClassNames.Parse("RateLimited"));
}

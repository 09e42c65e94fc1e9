using Migration.Core.Canary;

namespace Migration.Core.Tests.Canary;

public class CanaryCommandTests
{
    [Theory]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void SetWeight_OutsideZeroToHundred_ThrowsArgumentOutOfRange(double weight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CanaryCommand.SetWeight(weight));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(100.0)]
    public void SetWeight_WithinRange_KeepsWeight(double weight)
    {
        var command = CanaryCommand.SetWeight(weight, "  ops ticket 42 ");

        Assert.Equal(CanaryCommandKind.SetWeight, command.Kind);
        Assert.Equal(weight, command.Weight);
        Assert.Equal("ops ticket 42", command.Note);
    }

    [Fact]
    public void Rollback_BlankReason_HasNoNote()
    {
        var command = CanaryCommand.Rollback("   ");

        Assert.Equal(CanaryCommandKind.Rollback, command.Kind);
        Assert.Null(command.Note);
        Assert.Null(command.Weight);
    }

    [Theory]
    [InlineData("start", CanaryCommandKind.Start)]
    [InlineData("PAUSE", CanaryCommandKind.Pause)]
    [InlineData("Resume", CanaryCommandKind.Resume)]
    [InlineData("promote", CanaryCommandKind.Promote)]
    [InlineData("promote-full", CanaryCommandKind.PromoteFull)]
    [InlineData("promote_full", CanaryCommandKind.PromoteFull)]
    [InlineData("promotefull", CanaryCommandKind.PromoteFull)]
    [InlineData("rollback", CanaryCommandKind.Rollback)]
    [InlineData("set-weight", CanaryCommandKind.SetWeight)]
    [InlineData("set_weight", CanaryCommandKind.SetWeight)]
    [InlineData(" retry ", CanaryCommandKind.Retry)]
    [InlineData("reset", CanaryCommandKind.Reset)]
    public void TryParseKind_KnownName_Parses(string name, CanaryCommandKind expected)
    {
        Assert.True(CanaryCommand.TryParseKind(name, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("start,pause")]
    [InlineData("deploy")]
    [InlineData("roll back")]
    public void TryParseKind_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(CanaryCommand.TryParseKind(name, out _));
    }
}

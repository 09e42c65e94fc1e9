using Migration.Semantic.Local;

namespace Migration.Semantic.Tests.Local;

public sealed class AccentFoldingTests
{
    [Theory]
    [InlineData("Xin chào, tôi muốn đặt bàn", "Xin chao, toi muon dat ban")]
    [InlineData("Đà Nẵng", "Da Nang")]
    [InlineData("café crème", "cafe creme")]
    [InlineData("plain ascii 3.14", "plain ascii 3.14")]
    public void Fold_AccentedText_StripsDiacritics(string text, string expected)
    {
        Assert.Equal(expected, AccentFolding.Fold(text));
    }
}

using Migration.Simulator.Content;

namespace Migration.Simulator.Tests.Content;

public class TokenizerTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("one", 1)]
    [InlineData("one two  three.", 3)]
    [InlineData(" lead and trail ", 3)]
    public void Count_Text_CountsWords(string text, int expected)
    {
        Assert.Equal(expected, Tokenizer.Count(text));
    }

    [Fact]
    public void Advance_InSteps_PiecesAddUpToTheWholeText()
    {
        const string text = "The quick  brown fox jumps over the lazy dog. ";
        var pieces = new List<string>();

        for (var start = 0; start < text.Length;)
        {
            var end = Tokenizer.Advance(text, start, 2);
            pieces.Add(text[start..end]);
            start = end;
        }

        Assert.Equal(text, string.Concat(pieces));
        Assert.Equal(5, pieces.Count);
        Assert.All(pieces[..^1], p => Assert.Equal(2, Tokenizer.Count(p)));
    }
}

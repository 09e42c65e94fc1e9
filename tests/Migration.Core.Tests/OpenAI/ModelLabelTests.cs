using Migration.Core.OpenAI;

namespace Migration.Core.Tests.OpenAI;

public sealed class ModelLabelTests
{
    [Theory]
    [InlineData("gpt-4o-2024-08-06", ModelLabelIssue.None)]
    [InlineData("meta-llama/Llama-3-70b:free", ModelLabelIssue.None)]
    [InlineData("gpt 4", ModelLabelIssue.None)]
    [InlineData("gpt-4\n", ModelLabelIssue.OddCharacters)]
    [InlineData("gpt-4\0", ModelLabelIssue.OddCharacters)]
    [InlineData("modèle", ModelLabelIssue.OddCharacters)]
    [InlineData("<script>", ModelLabelIssue.OddCharacters)]
    public void Classify_Names_IssueAsExpected(string model, ModelLabelIssue expected)
    {
        Assert.Equal(expected, ModelLabel.Classify(model));
    }

    [Fact]
    public void Normalize_LongerThanTheCap_Other()
    {
        Assert.Equal(new string('a', ModelLabel.MaxLength), ModelLabel.Normalize(new string('a', ModelLabel.MaxLength)));
        Assert.Equal(ModelLabel.Other, ModelLabel.Normalize(new string('a', ModelLabel.MaxLength + 1)));
    }
}

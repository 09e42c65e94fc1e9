namespace Migration.Core.OpenAI;

/// <summary>The request's <c>response_format.type</c>.</summary>
public enum ResponseFormatKind
{
    /// <summary>Absent, <c>text</c>, or anything else.</summary>
    Text = 0,

    /// <summary><c>json_object</c> (JSON mode).</summary>
    JsonObject = 1,

    /// <summary><c>json_schema</c> (structured outputs).</summary>
    JsonSchema = 2,
}

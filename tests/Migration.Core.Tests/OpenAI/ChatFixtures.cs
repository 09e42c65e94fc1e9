using System.Text;

namespace Migration.Core.Tests.OpenAI;

/// <summary>Realistic OpenAI answers, the same content as JSON and as an SSE stream.</summary>
internal static class ChatFixtures
{
    public const string Json = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4.1-2025-04-14","system_fingerprint":"fp_1",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there! How can I help?","refusal":null},"logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20,"prompt_tokens_details":{"cached_tokens":0}}}
        """;

    public const string Sse =
        "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"gpt-4.1-2025-04-14\",\"system_fingerprint\":\"fp_2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there!\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" How can I help?\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}\n\n" +
        "data: [DONE]\n\n";

    public const string ToolJson = """
        {"id":"chatcmpl-3","object":"chat.completion","created":1700000000,"model":"gpt-4.1",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"c\"}"}},
            {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"Europe/Paris\"}"}}]},
          "finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":50,"completion_tokens":30,"total_tokens":80}}
        """;

    public const string ToolSse =
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\",\\\"unit\\\":\\\"c\\\"}\"}}]},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\":\"}}]},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"Europe/Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4.1\",\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":30,\"total_tokens\":80}}\n\n" +
        "data: [DONE]\n\n";

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}

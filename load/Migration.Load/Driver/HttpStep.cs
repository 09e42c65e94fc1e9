using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace Migration.Load.Driver;

/// <summary>HTTP helpers for steps: send, read the whole answer (counting bytes), mark the first byte.</summary>
internal static class HttpStep
{
    /// <summary>Metric name of the gaps between successive chunks of a streamed answer.</summary>
    public const string ChunkGapMetric = "chunkGap";

    /// <summary>An HttpClient for load: no proxy, no redirects, no decompression, unbounded connections per server.</summary>
    public static HttpClient CreateClient(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = timeout ?? Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Sends the request and reads the answer to its end. 2xx is ok. With <paramref name="streamed"/> the first
    /// chunk marks the first byte (TTFT) and the gaps between chunks are recorded as <see cref="ChunkGapMetric"/>.
    /// </summary>
    public static async Task<StepResponse> SendAsync(HttpClient client, HttpRequestMessage request, IStepContext context, bool streamed = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        using (request)
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            long size = 0;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false);
                long last = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, context.CancellationToken).ConfigureAwait(false)) > 0)
                {
                    var now = Stopwatch.GetTimestamp();
                    if (size == 0)
                    {
                        if (streamed)
                        {
                            context.MarkFirstByte();
                        }
                    }
                    else if (streamed)
                    {
                        context.Record(ChunkGapMetric, Stopwatch.GetElapsedTime(last, now));
                    }

                    last = now;
                    size += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? Response.Ok(status, size) : Response.Fail(status, sizeBytes: size);
        }
    }
}

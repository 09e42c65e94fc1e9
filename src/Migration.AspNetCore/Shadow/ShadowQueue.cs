using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// The bounded queue between the middleware and the dispatcher. Writers never wait: <see cref="TryEnqueue"/>
/// returns false when it is full and the caller drops (and counts) the exchange.
/// </summary>
internal sealed class ShadowQueue
{
    private readonly Channel<ShadowExchange> _channel;

    public ShadowQueue(IOptions<MigrationHarnessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.Shadow.QueueCapacity;
        _channel = Channel.CreateBounded<ShadowExchange>(new BoundedChannelOptions(Capacity)
        {
            // TryWrite on a full "Wait" channel returns false at once: drop-newest, with the drop visible to us.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public int Capacity { get; }

    /// <summary>Exchanges waiting for a worker.</summary>
    public int Count => _channel.Reader.Count;

    public ChannelReader<ShadowExchange> Reader => _channel.Reader;

    public bool TryEnqueue(ShadowExchange exchange) => _channel.Writer.TryWrite(exchange);

    /// <summary>Whether the queue was closed (the application is stopping): nothing more is taken.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Takes nothing more; the workers finish what is queued and then end.</summary>
    public void Close()
    {
        IsClosed = true;
        _channel.Writer.TryComplete();
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// Decides whether a request is mirrored. With a sticky key the key's value is hashed to a stable bucket in
/// [0, 10000): the same user is always in (or out) at a given rate, and raising the rate only adds users.
/// Without a key (or when the request has none) each request is drawn at random.
/// </summary>
internal sealed class ShadowSampler
{
    internal const int Buckets = 10_000;

    private readonly StickyKey? _stickyKey;

    public ShadowSampler(IOptions<MigrationHarnessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = StickyKey.TryParse(options.Value.Shadow.StickyKey, out _stickyKey);
    }

    /// <summary>The sticky key of <paramref name="context"/> (<c>Shadow:StickyKey</c>), or null when none is configured or the request has none.</summary>
    public string? KeyOf(HttpContext context) => _stickyKey?.ValueOf(context);

    /// <summary>Whether the request is configured with a sticky key at all (<c>Shadow:StickyKey</c>).</summary>
    public bool HasStickyKey => _stickyKey is not null;

    public bool ShouldSample(HttpContext context, double rate) =>
        ShouldSample(rate is > 0 and < 1 ? KeyOf(context) : null, rate);

    /// <summary>Whether a request with sticky key <paramref name="key"/> (null: drawn at random) is mirrored at <paramref name="rate"/>.</summary>
    public bool ShouldSample(string? key, double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        if (key is null)
        {
            return Random.Shared.NextDouble() < rate;
        }

        return BucketOf(key) < rate * Buckets;
    }

    /// <summary>A stable bucket of a key (FNV-1a over UTF-16 code units, then a 64-bit finaliser).</summary>
    internal static int BucketOf(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (int)(hash % Buckets);
    }
}

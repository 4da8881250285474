using System.Security.Cryptography;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Message ids as gun makes them: 9 random characters from [0-9A-Za-z] without 'Y'. Random, never
/// sequential: gun derives per-key ids by appending a counter to a message id, so sequential ids collide. The
/// randomness is the operating system's, drawn a pool at a time per thread: drawn per id, the system call took about
/// 2% of the relay's CPU (docs/BENCHMARKS.md).
/// </summary>
public static class GunIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz";

    // Bytes at or above this would favour the alphabet's first characters.
    private const int Unbiased = 256 - 256 % 61;

    private const int PoolBytes = 512;

    [ThreadStatic]
    private static byte[]? t_pool;

    [ThreadStatic]
    private static int t_next;

    public static string New() => string.Create(9, 0, static (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[NextIndex()];
    });

    private static int NextIndex()
    {
        while (true)
        {
            var pool = t_pool;
            if (pool is null || t_next == pool.Length)
            {
                pool = t_pool ??= new byte[PoolBytes];
                RandomNumberGenerator.Fill(pool);
                t_next = 0;
            }
            var next = pool[t_next++];
            if (next < Unbiased) return next % Alphabet.Length;
        }
    }
}

using System.Security.Cryptography;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Message ids as gun makes them: 9 random characters from [0-9A-Za-z] without 'Y'. Random, never
/// sequential: gun derives per-key ids by appending a counter to a message id, so sequential ids collide.
/// </summary>
public static class GunIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXZabcdefghijklmnopqrstuvwxyz";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 9);
}

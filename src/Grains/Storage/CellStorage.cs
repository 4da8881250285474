namespace OrleansSync.Grains.Storage;

/// <summary>Names shared by the grains and the hosts that configure their storage.</summary>
public static class CellStorage
{
    /// <summary>The grain storage provider that holds cells.</summary>
    public const string ProviderName = "cells";
}

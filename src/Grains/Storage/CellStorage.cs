using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace OrleansSync.Grains.Storage;

/// <summary>Names shared by the grains and the hosts that configure their storage.</summary>
public static class CellStorage
{
    /// <summary>The grain storage provider that holds cells.</summary>
    public const string ProviderName = "cells";

    /// <summary>That provider, for the rows a grain reads and writes itself (<see cref="GrainRow{T}"/>, <see cref="PagedRows{T}"/>).</summary>
    public static IGrainStorage Of(IServiceProvider services) => services.GetRequiredKeyedService<IGrainStorage>(ProviderName);
}

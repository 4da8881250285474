using Orleans.Concurrency;

namespace OrleansSync.Machines;

/// <summary>The ids of the machines that ever registered (key <see cref="Key"/>), in pages; written only when a machine appears.</summary>
[Alias("OrleansSync.IMachineListGrain")]
public interface IMachineListGrain : IGrainWithStringKey
{
    const string Key = "machines";

    [Alias("Add")]
    Task Add(string machineId);

    [AlwaysInterleave, Alias("GetAll")]
    Task<IReadOnlyList<string>> GetAll();
}

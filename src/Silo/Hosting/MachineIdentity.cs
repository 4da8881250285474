using OrleansSync.Grains.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// The machine this silo is: the configured id, or one generated on first start and kept in the data
/// directory (<c>machine-id</c>), so a machine keeps its propagators across restarts.
/// </summary>
public static class MachineIdentity
{
    public const string FileName = "machine-id";

    public static MachineOptions Resolve(SiloSettings settings)
    {
        var id = settings.MachineId ?? ReadOrCreate(Path.Combine(Path.GetFullPath(settings.DataDirectory), FileName));
        MachineIds.Validate(id);
        return new MachineOptions
        {
            Id = id,
            Name = settings.MachineName ?? Environment.MachineName,
            HeartbeatInterval = settings.HeartbeatInterval,
            InactiveAfter = settings.InactiveAfter,
        };
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var id = $"machine_{Guid.NewGuid():N}";
        // Write then move, so a crash never leaves a half-written id behind.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, id);
        File.Move(temporary, path, overwrite: false);
        return id;
    }
}

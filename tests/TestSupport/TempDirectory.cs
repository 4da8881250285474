namespace OrleansSync.TestSupport;

public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "orleanssync-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

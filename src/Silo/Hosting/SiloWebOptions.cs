namespace OrleansSync.Silo.Hosting;

/// <summary>
/// The silo's own HTTP endpoint for operators (<c>OrleansSync:Web</c>): health, Prometheus metrics and the
/// Orleans Dashboard. Loopback by default: none of it asks for credentials.
/// </summary>
public sealed class SiloWebOptions
{
    public const string Section = "OrleansSync:Web";

    public string ListenAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8780;

    /// <summary>The Orleans Dashboard at <c>/dashboard</c>. It records every grain call, which costs a little on hot paths.</summary>
    public bool Dashboard { get; set; } = true;
}

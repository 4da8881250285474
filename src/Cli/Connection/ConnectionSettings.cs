using System.ComponentModel;
using Spectre.Console.Cli;

namespace OrleansSync.Cli.Connection;

/// <summary>
/// Where the cluster is, on every command. Unset options fall back to the settings a silo reads, from environment
/// variables (<c>ConnectionStrings__Postgres</c>, <c>OrleansSync__ServiceId</c>, <c>OrleansSync__GatewayPort</c>, ...),
/// then to the local silo of <c>run.sh</c> (127.0.0.1:30000).
/// </summary>
public class ConnectionSettings : CommandSettings
{
    [CommandOption("--gateway <HOST:PORT>")]
    [Description("A silo's gateway endpoint; repeat for several. Default: the local silo.")]
    public string[] Gateways { get; set; } = [];

    [CommandOption("--gateway-port <PORT>")]
    [Description("The local silo's gateway port (default 30000, or OrleansSync__GatewayPort).")]
    public int? GatewayPort { get; set; }

    [CommandOption("--postgres <CONNECTION>")]
    [Description("Find the silos in this PostgreSQL cluster's membership table (or ConnectionStrings__Postgres).")]
    public string? Postgres { get; set; }

    [CommandOption("--service-id <ID>")]
    [Description("The silos' OrleansSync:ServiceId (default orleanssync).")]
    public string? ServiceId { get; set; }

    [CommandOption("--cluster-id <ID>")]
    [Description("The silos' OrleansSync:ClusterId (default orleanssync).")]
    public string? ClusterId { get; set; }

    [CommandOption("--connect-timeout <DURATION>")]
    [Description("How long to try to reach the cluster (e.g. 10s; default 15s).")]
    public string? ConnectTimeout { get; set; }

    [CommandOption("--json")]
    [Description("Print JSON (one object, or one line per event) instead of text.")]
    public bool Json { get; set; }

    [CommandOption("--verbose")]
    [Description("Log the Orleans client's warnings to stderr.")]
    public bool Verbose { get; set; }
}

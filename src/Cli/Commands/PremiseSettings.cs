using System.ComponentModel;
using Spectre.Console.Cli;
using OrleansSync.Cli.Connection;

namespace OrleansSync.Cli.Commands;

public sealed class PremiseSettings : ConnectionSettings
{
    [CommandArgument(0, "<PREMISE>")]
    [Description("The premise's name.")]
    public string Premise { get; set; } = "";

    [CommandOption("-n|--network <NETWORK>")]
    [Description("The network the re-derivation counts toward; default the default network.")]
    public string Network { get; set; } = "";
}

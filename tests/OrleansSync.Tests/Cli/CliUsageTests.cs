using System.Globalization;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Cli;

/// <summary>What the CLI says without a cluster: help on every command, and clear errors with distinct exit codes.</summary>
public sealed class CliUsageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bad_input_and_an_absent_cluster_get_clear_errors_and_exit_codes()
    {
        // Values are checked before connecting: no cluster is needed to be told the input is wrong.
        var inverted = await CliProcess.RunAsync(["cells", "tell", "cli-bad", "[3, 1]"], Wait);
        Assert.Equal(2, inverted.ExitCode);
        Assert.Contains("error: '[3, 1]' is not a value", inverted.Error);
        var retention = await CliProcess.RunAsync(["compact", "--archive-retention", "soon"], Wait);
        Assert.Equal(2, retention.ExitCode);
        Assert.Contains("--archive-retention 'soon' is not a duration", retention.Error);
        var unknown = await CliProcess.RunAsync(["cells", "frobnicate"], Wait);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error: Unknown command 'frobnicate'", unknown.Error);
        Assert.Equal(2, (await CliProcess.RunAsync(["cells", "watch", "x", "--count", "0"], Wait)).ExitCode);

        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var absent = await CliProcess.RunAsync(["machines", "list", "--gateway-port", port], Wait);
        Assert.Equal(3, absent.ExitCode);
        Assert.Contains($"Cannot reach the cluster at 127.0.0.1:{port}", absent.Error);
    }

    [Theory]
    [InlineData]
    [InlineData("cells")]
    [InlineData("cells", "get")]
    [InlineData("cells", "tell")]
    [InlineData("cells", "watch")]
    [InlineData("cells", "list")]
    [InlineData("propagators", "list")]
    [InlineData("machines", "list")]
    [InlineData("premises", "kick-out")]
    [InlineData("premises", "bring-in")]
    [InlineData("premises", "show")]
    [InlineData("quiescence")]
    [InlineData("compact")]
    public async Task Every_command_has_help(params string[] command)
    {
        var help = await CliProcess.RunAsync([.. command, "--help"], Wait);
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("USAGE:", help.Output);
        Assert.DoesNotContain("error", help.Output + help.Error, StringComparison.OrdinalIgnoreCase);
    }
}

using Microsoft.Playwright;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.WebView;

/// <summary>
/// The gateway's web view in a real browser (Debian's chromium, driven by Playwright), against two silo processes
/// (machines A and B) and the gateway process: what the backend tells appears, what the page tells reaches the cell
/// grain, and a machine going down is shown.
/// </summary>
public sealed class WebViewTests
{
    private const float Wait = 2_000;

    [Fact]
    public async Task The_page_shows_the_network_live_and_tells_cells()
    {
        using var data = new TempDirectory();
        var common = new Dictionary<string, string>
        {
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:HeartbeatInterval"] = "00:00:01",
            ["OrleansSync:InactiveAfter"] = "00:00:03",
        };
        await using var a = await SiloProcess.StartAsync(new Dictionary<string, string>(common) { ["OrleansSync:MachineId"] = "A" });
        var b = await SiloProcess.StartAsync(new Dictionary<string, string>(common)
        {
            ["OrleansSync:MachineId"] = "B",
            ["OrleansSync:PrimarySiloPort"] = a.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var gateway = await GatewayProcess.StartAsync(a.GatewayPort);
        await using var client = await OrleansClient.ConnectLocalhostAsync(a.GatewayPort);
        var network = new PropagatorNetwork(client.Client);
        await network.Primitive("B", BuiltInPropagators.Add, "web-x", "web-y", "web-z");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.Path, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(gateway.WebAddress.ToString());

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("connected", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-machine='A']")).ToHaveAttributeAsync("data-active", "true", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-machine='B']")).ToHaveAttributeAsync("data-active", "true", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-propagator]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

        // Told by a backend client: on the page within 2 s, in the table and in the graph.
        await network.Tell("web-x", new NumberValue(40));
        await network.Tell("web-y", new NumberValue(2));
        await Assertions.Expect(page.Locator("tr[data-cell='web-z']")).ToHaveAttributeAsync("data-value", "42", new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("[data-graph-cell='web-z']")).ToHaveCountAsync(1, new() { Timeout = Wait });

        // Told on the page: merged into the cell grain, and its ack shown.
        await page.FillAsync("#tell-cell", "web-told");
        await page.FillAsync("#tell-value", "[1, 2]");
        await page.ClickAsync("#tell-submit");
        await Assertions.Expect(page.Locator("#tell-result")).ToHaveTextAsync("stored", new() { Timeout = 10_000 });
        Assert.Equal(new Interval(1, 2), await network.Strongest("web-told"));
        await Assertions.Expect(page.Locator("tr[data-cell='web-told']")).ToHaveAttributeAsync("data-value", "[1, 2]", new() { Timeout = Wait });

        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "webview.png") });

        // Machine B goes down: shown inactive once its heartbeats stop. Its records may have been activated on B itself;
        // they answer again once Orleans has declared B's silo dead (about 15 s here alone, longer while other tests run).
        await b.KillAsync();
        await b.DisposeAsync();
        await Assertions.Expect(page.Locator("[data-machine='B']")).ToHaveAttributeAsync("data-active", "false", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-machine='A']")).ToHaveAttributeAsync("data-active", "true");
        Assert.Empty(errors);
    }
}

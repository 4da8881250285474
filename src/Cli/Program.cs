using OrleansSync.Cli;
using Spectre.Console;

// Ctrl+C (or SIGTERM) ends a watch or a wait cleanly: the client disconnects before the process exits.
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
// Piped into a file or another program: tables are not wrapped at a terminal's width.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 4096;
return await CliApp.Create().RunAsync(args, stopping.Token);

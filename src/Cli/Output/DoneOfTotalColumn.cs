using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansSync.Cli.Output;

/// <summary>
/// "1,234/5,000": items done in a phase of its total, where a percentage alone hides how big the phase is. The counts
/// are the phase's own (<see cref="Set"/>), not the bar's, which needs a size of at least one.
/// </summary>
public sealed class DoneOfTotalColumn : ProgressColumn
{
    public static void Set(ProgressTask task, long done, long total)
    {
        task.State.Update<long>("done", _ => done);
        task.State.Update<long>("total", _ => total);
    }

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(string.Create(CultureInfo.InvariantCulture, $"{task.State.Get<long>("done"):N0}/{Math.Max(task.State.Get<long>("done"), task.State.Get<long>("total")):N0}"));
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using OrleansSync.Cells;
using OrleansSync.Cli.Connection;
using OrleansSync.Cli.Output;

namespace OrleansSync.Cli.Commands;

public sealed class CellsGetCommand : ClusterCommand<CellsGetCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandArgument(0, "<CELL>")]
        [Description("The cell's id.")]
        public string Cell { get; set; } = "";

        [CommandOption("--content")]
        [Description("Also print the full content (every contribution with its premises), not only the strongest value.")]
        public bool Content { get; set; }
    }

    protected override async Task<int> RunAsync(IClusterClient client, Settings settings, CancellationToken cancellationToken)
    {
        var cell = client.GetGrain<ICellGrain>(settings.Cell);
        var snapshot = await cell.GetSnapshot();
        var readers = await cell.GetNeighbors();
        var writers = await cell.GetWriters();
        var metadata = snapshot.Metadata;
        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["id"] = metadata.Id,
                ["name"] = metadata.Name,
                ["kind"] = metadata.Kind.ToString(),
                ["version"] = metadata.Version,
                ["createdAt"] = metadata.CreatedAt,
                ["updatedAt"] = metadata.UpdatedAt,
                ["strongest"] = snapshot.Strongest.ToString(),
                ["strongestEncoded"] = JsonOutput.Value(snapshot.Strongest),
                ["readers"] = JsonOutput.Strings(readers),
                ["writers"] = JsonOutput.Strings(writers),
            };
            if (settings.Content)
            {
                json["content"] = snapshot.Content.ToString();
                json["contentEncoded"] = JsonOutput.Value(snapshot.Content);
            }
            JsonOutput.Print(json);
            return ExitCodes.Ok;
        }
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string label, string value) => grid.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(value));
        Row("cell", metadata.Id);
        if (metadata.Name.Length > 0) Row("name", metadata.Name);
        Row("kind", metadata.Kind.ToString().ToLowerInvariant());
        Row("version", metadata.Version == 0 ? "0 (never told)" : metadata.Version.ToString(CultureInfo.InvariantCulture));
        if (metadata.Version > 0) Row("updated", metadata.UpdatedAt.ToString("u", CultureInfo.InvariantCulture));
        Row("strongest", $"{snapshot.Strongest}");
        if (settings.Content) Row("content", $"{snapshot.Content}");
        Row("read by", readers.Count == 0 ? "-" : string.Join(", ", readers));
        Row("written by", writers.Count == 0 ? "-" : string.Join(", ", writers));
        Out.Write(grid);
        return ExitCodes.Ok;
    }
}

using System.Text.RegularExpressions;
using Xunit;

namespace OrleansSync.Tests.Readme;

/// <summary>
/// Every C# snippet of the README is in tests/Samples, which the solution build compiles: a snippet that no longer
/// compiles (a renamed API, a missing using) breaks the build, and a snippet edited only in the README fails here.
/// </summary>
public sealed partial class ReadmeSnippetsTests
{
    [Fact]
    public void Every_csharp_snippet_of_the_README_is_in_the_compiled_samples()
    {
        var root = Root();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var samples = Directory.GetFiles(Path.Combine(root, "tests", "Samples"), "*.cs").Select(f => Lines(File.ReadAllText(f))).ToList();
        var snippets = Snippet().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.True(snippets.Count >= 4, $"the README has {snippets.Count} C# snippets");
        foreach (var snippet in snippets)
        {
            // A snippet's paragraphs (separated by blank lines) each appear whole, in order of lines, in one sample file.
            foreach (var paragraph in snippet.Split("\n\n").Select(Lines).Where(p => p.Count > 0))
                Assert.True(samples.Any(sample => Contains(sample, paragraph)), "README snippet not in tests/Samples (copy it there verbatim):\n" + string.Join("\n", paragraph));
        }
    }

    private static List<string> Lines(string text) => [.. text.Replace("\r", "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static bool Contains(List<string> file, List<string> paragraph)
    {
        for (var start = 0; start + paragraph.Count <= file.Count; start++)
            if (paragraph.Select((line, i) => file[start + i] == line).All(same => same)) return true;
        return false;
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansSync.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("OrleansSync.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();
}

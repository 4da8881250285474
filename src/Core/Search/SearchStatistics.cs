namespace OrleansSync.Search;

/// <summary>
/// How much searching a network did: contradictions handed to the search, nogoods it learned, choices it made
/// (every time an amb took a choice it did not hold) and backtracks (backjumps to an earlier amb).
/// </summary>
[GenerateSerializer, Immutable, Alias("os.search-statistics")]
public sealed class SearchStatistics(long contradictionsHandled, long nogoodsLearned, long choicesTried, long backtracks) : IEquatable<SearchStatistics>
{
    public static SearchStatistics None { get; } = new(0, 0, 0, 0);

    [Id(0)] internal readonly long _contradictionsHandled = contradictionsHandled;
    [Id(1)] internal readonly long _nogoodsLearned = nogoodsLearned;
    [Id(2)] internal readonly long _choicesTried = choicesTried;
    [Id(3)] internal readonly long _backtracks = backtracks;

    public long ContradictionsHandled => _contradictionsHandled;

    public long NogoodsLearned => _nogoodsLearned;

    public long ChoicesTried => _choicesTried;

    public long Backtracks => _backtracks;

    public SearchStatistics WithContradictions(long handled) => new(_contradictionsHandled + handled, _nogoodsLearned, _choicesTried, _backtracks);

    internal SearchStatistics Learned() => new(_contradictionsHandled, _nogoodsLearned + 1, _choicesTried, _backtracks);

    internal SearchStatistics Chose() => new(_contradictionsHandled, _nogoodsLearned, _choicesTried + 1, _backtracks);

    internal SearchStatistics Backtracked() => new(_contradictionsHandled, _nogoodsLearned, _choicesTried, _backtracks + 1);

    public static SearchStatistics operator +(SearchStatistics a, SearchStatistics b) =>
        new(a._contradictionsHandled + b._contradictionsHandled, a._nogoodsLearned + b._nogoodsLearned, a._choicesTried + b._choicesTried, a._backtracks + b._backtracks);

    public static SearchStatistics operator -(SearchStatistics a, SearchStatistics b) =>
        new(a._contradictionsHandled - b._contradictionsHandled, a._nogoodsLearned - b._nogoodsLearned, a._choicesTried - b._choicesTried, a._backtracks - b._backtracks);

    public bool Equals(SearchStatistics? other) =>
        other is not null && other._contradictionsHandled == _contradictionsHandled && other._nogoodsLearned == _nogoodsLearned &&
        other._choicesTried == _choicesTried && other._backtracks == _backtracks;

    public override bool Equals(object? obj) => Equals(obj as SearchStatistics);

    public override int GetHashCode() => HashCode.Combine(_contradictionsHandled, _nogoodsLearned, _choicesTried, _backtracks);

    public override string ToString() =>
        $"{ContradictionsHandled} contradictions handled, {NogoodsLearned} nogoods learned, {ChoicesTried} choices tried, {Backtracks} backtracks";
}

namespace OrleansSync.Machines;

/// <summary>What to do after reading one wave of counters (<see cref="QuiescenceWaves{T}"/>).</summary>
public enum WaveVerdict
{
    /// <summary>Not settled, or not yet confirmed twice in a row: read again after a delay.</summary>
    SampleLater,
    /// <summary>Settled for the first time: read the confirming wave at once rather than after a delay.</summary>
    SampleAtOnce,
    /// <summary>Two consecutive settled waves read the same counters: quiescent at the moment between them.</summary>
    Quiescent,
}

/// <summary>
/// The test of Mattern's four-counter method, wave by wave, for everyone who waits for a network's quiescence (clients,
/// and searches waiting to decide): quiescent when two consecutive waves over all silos are settled and read the same
/// counters. The caller says what settled means (started equals finished, and whatever else it waits for).
/// </summary>
public sealed class QuiescenceWaves<T>
{
    private IReadOnlyList<T>? _previous;
    private bool _confirming;

    /// <summary>No settled wave is waiting to be confirmed: the next wave starts a new round.</summary>
    public bool AtFirstWave => _previous is null;

    public WaveVerdict Next(IReadOnlyList<T> wave, bool settled)
    {
        if (settled && _previous is not null && wave.SequenceEqual(_previous))
        {
            _previous = null;
            _confirming = false;
            return WaveVerdict.Quiescent;
        }
        _previous = settled ? wave : null;
        // Confirmed at once only once in a row: a wave that keeps changing is read at the caller's pace.
        _confirming = settled && !_confirming;
        return _confirming ? WaveVerdict.SampleAtOnce : WaveVerdict.SampleLater;
    }

    /// <summary>A wave could not be read: the next one cannot confirm anything before it.</summary>
    public void Forget() => _previous = null;
}

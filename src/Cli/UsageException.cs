namespace OrleansSync.Cli;

/// <summary>An argument that does not parse; reported with exit code <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);

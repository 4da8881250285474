using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrleansSync.Silo.Hosting;

/// <summary>Ready needs the store: one read of the grain-state table, on a connection of its own.</summary>
public sealed class StorageHealthCheck(SiloSettings settings) : IHealthCheck
{
    private const string Probe = "SELECT 1 FROM OrleansStorage LIMIT 1";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (settings.Storage)
            {
                case StorageKind.Sqlite:
                    await using (var connection = new SqliteConnection(settings.SqliteConnectionString))
                    {
                        await connection.OpenAsync(cancellationToken);
                        await using var command = new SqliteCommand(Probe, connection);
                        await command.ExecuteScalarAsync(cancellationToken);
                    }
                    break;
                case StorageKind.Postgres:
                    await using (var connection = new NpgsqlConnection(settings.StorageConnectionString))
                    {
                        await connection.OpenAsync(cancellationToken);
                        await using var command = new NpgsqlCommand(Probe, connection);
                        await command.ExecuteScalarAsync(cancellationToken);
                    }
                    break;
            }
            return HealthCheckResult.Healthy($"{settings.Storage} storage answers");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{settings.Storage} storage does not answer: {error.Message}");
        }
    }
}

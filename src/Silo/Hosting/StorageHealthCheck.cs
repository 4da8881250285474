using System.Data.Common;
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
            // In-memory storage has nothing to reach.
            await using DbConnection? connection = settings.Storage switch
            {
                StorageKind.Sqlite => new SqliteConnection(settings.SqliteConnectionString),
                StorageKind.Postgres => new NpgsqlConnection(settings.StorageConnectionString),
                _ => null,
            };
            if (connection is not null)
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = Probe;
                await command.ExecuteScalarAsync(cancellationToken);
            }
            return HealthCheckResult.Healthy($"{settings.Storage} storage answers");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{settings.Storage} storage does not answer: {error.Message}");
        }
    }
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using OrleansSync.Compaction;
using OrleansSync.Grains.Storage;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// Reads the AdoNet <c>OrleansStorage</c> table directly (read-only): its <c>GrainTypeString</c> holds the state
/// name and <c>GrainIdExtensionString</c> the grain's string key, escaped (<see cref="StorageKeys"/>) so that Orleans
/// keeps it. Rows an earlier version stored under a number-like key have no string there: the payload says whose they
/// are (cells store their id). The same SQL serves SQLite and PostgreSQL.
/// </summary>
public sealed class AdoNetStoredStates(string invariant, string connectionString, IOptions<ClusterOptions> cluster) : IStoredStates
{
    private DbProviderFactory Factory => invariant switch
    {
        StorageInvariants.Sqlite => SqliteFactory.Instance,
        StorageInvariants.Postgres => NpgsqlFactory.Instance,
        _ => throw new NotSupportedException($"No ADO.NET factory for '{invariant}'."),
    };

    public async IAsyncEnumerable<StoredState> ReadAllAsync(string stateName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT GrainIdExtensionString, PayloadBinary FROM OrleansStorage
            WHERE ServiceId = @ServiceId AND GrainTypeString = @StateName
              AND PayloadBinary IS NOT NULL
            """;
        AddParameter(command, "ServiceId", cluster.Value.ServiceId);
        AddParameter(command, "StateName", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new StoredState(reader.IsDBNull(0) ? null : StorageKeys.FromStored(reader.GetString(0)), (byte[])reader.GetValue(1));
    }

    public async Task<StorageSize> MeasureAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT GrainTypeString, COUNT(*), COALESCE(SUM(LENGTH(PayloadBinary)), 0) FROM OrleansStorage
            WHERE ServiceId = @ServiceId GROUP BY GrainTypeString
            """;
        AddParameter(command, "ServiceId", cluster.Value.ServiceId);
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var bytes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
            bytes[reader.GetString(0)] = reader.GetInt64(2);
        }
        return new StorageSize(rows, bytes);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Factory.CreateConnection()!;
        connection.ConnectionString = connectionString;
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

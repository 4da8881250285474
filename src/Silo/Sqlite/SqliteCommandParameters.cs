using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>Moves AdoNet's parameters onto a command kept prepared on another connection.</summary>
internal static class SqliteCommandParameters
{
    public static void Copy(SqliteCommand from, SqliteCommand to)
    {
        to.Parameters.Clear();
        foreach (SqliteParameter parameter in from.Parameters)
        {
            to.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.Value ?? DBNull.Value)
            {
                SqliteType = parameter.SqliteType,
                Size = parameter.Size,
            });
        }
    }
}

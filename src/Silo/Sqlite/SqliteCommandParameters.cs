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
            // AdoNet names parameters without the '@' its queries use; given the bare name, Microsoft.Data.Sqlite looks
            // each up in every statement once as given and then once per prefix.
            var name = parameter.ParameterName is ['@' or '$' or ':', ..] ? parameter.ParameterName : "@" + parameter.ParameterName;
            to.Parameters.Add(new SqliteParameter(name, parameter.Value ?? DBNull.Value)
            {
                SqliteType = parameter.SqliteType,
                Size = parameter.Size,
            });
        }
    }
}

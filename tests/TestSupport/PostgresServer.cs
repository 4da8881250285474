using Npgsql;

namespace OrleansSync.TestSupport;

/// <summary>
/// A real PostgreSQL server for tests and benchmarks. With <c>ORLEANSSYNC_POSTGRES</c> set (a connection
/// string to a server where the user may create databases) that server is used; otherwise a throwaway
/// server is initialised from the installed binaries into a temp directory, on 127.0.0.1 and a free port,
/// and removed afterwards. A missing installation is an error, never a skip.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "ORLEANSSYNC_POSTGRES";

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly TempDirectory? _root;
    private readonly string _adminConnectionString;

    private PostgresServer(string adminConnectionString, TempDirectory? root = null, string? binDirectory = null, string? dataDirectory = null)
    {
        _adminConnectionString = adminConnectionString;
        _root = root;
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
    }

    public bool IsThrowaway => _root is not null;

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
            return new PostgresServer(external);

        var bin = FindBinDirectory();
        var root = new TempDirectory("orleanssync-pg-");
        var data = System.IO.Path.Combine(root.Path, "data");
        var port = FreePort.Next();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres account the package created.
            await Processes.RunAsync("chown", ["-R", "postgres:postgres", root.Path], TimeSpan.FromSeconds(30));
        }

        await RunAs(asRoot, System.IO.Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], TimeSpan.FromMinutes(2));
        await RunAs(asRoot, System.IO.Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-w", "-t", "60", "-l", System.IO.Path.Combine(root.Path, "server.log"), "-o",
             $"-p {port} -k {root.Path} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"], TimeSpan.FromMinutes(2));

        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        return new PostgresServer(admin, root, bin, data);
    }

    /// <summary>Creates a fresh database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_root is null) return;
        try
        {
            await RunAs(Environment.UserName == "root", System.IO.Path.Combine(_binDirectory!, "pg_ctl"),
                ["-D", _dataDirectory!, "-m", "immediate", "-w", "stop"], TimeSpan.FromMinutes(1));
        }
        finally
        {
            _root.Dispose();
        }
    }

    private static Task<string> RunAs(bool asRoot, string program, IEnumerable<string> arguments, TimeSpan timeout) =>
        asRoot
            ? Processes.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], timeout)
            : Processes.RunAsync(program, arguments, timeout);

    private static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured) candidates.Add(configured);
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(System.IO.Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => System.IO.Path.Combine(d, "bin")));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(System.IO.Path.Combine(d, "initdb")) && File.Exists(System.IO.Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found in PG_BIN, /usr/lib/postgresql/*/bin or PATH. " +
                "Install them (Debian: apt-get install postgresql) or set " + EnvironmentVariable + " to a connection string of a server you provide.");
    }
}

using Microsoft.Extensions.Configuration;
using OrleansSync.Silo.Hosting;
using Xunit;

namespace OrleansSync.Tests.Hosting;

/// <summary>The silo's configuration: embedded SQLite by default, PostgreSQL when a connection string is given.</summary>
public sealed class SiloSettingsTests
{
    private static SiloSettings From(params (string Key, string Value)[] values) =>
        SiloSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void No_configuration_means_sqlite_under_the_data_directory()
    {
        var settings = From();
        Assert.Equal(StorageKind.Sqlite, settings.Storage);
        Assert.Contains(Path.Combine(Path.GetFullPath("data"), "orleanssync.db"), settings.StorageConnectionString);
        Assert.Equal((11111, 30000), (settings.SiloPort, settings.GatewayPort));
        Assert.Equal(TimeSpan.FromMinutes(15), settings.CollectionAge);
    }

    [Fact]
    public void A_postgres_connection_string_switches_storage_and_clustering()
    {
        var settings = From(("ConnectionStrings:Postgres", "Host=127.0.0.1;Database=x"));
        Assert.Equal(StorageKind.Postgres, settings.Storage);
        Assert.Equal("Host=127.0.0.1;Database=x", settings.StorageConnectionString);
    }

    [Fact]
    public void Explicit_settings_win()
    {
        var settings = From(("OrleansSync:Storage", "memory"), ("OrleansSync:SiloPort", "12000"),
            ("OrleansSync:CollectionAge", "00:02:30"), ("OrleansSync:AdvertisedAddress", "10.1.2.3"));
        Assert.Equal(StorageKind.Memory, settings.Storage);
        Assert.Equal(12000, settings.SiloPort);
        Assert.Equal(TimeSpan.FromSeconds(150), settings.CollectionAge);
        Assert.Equal("10.1.2.3", settings.AdvertisedAddress.ToString());
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_a_clear_error()
    {
        var settings = From(("OrleansSync:Storage", "Postgres"));
        var error = Assert.Throws<InvalidOperationException>(() => settings.StorageConnectionString);
        Assert.Contains("ConnectionStrings:Postgres", error.Message);
    }

    [Fact]
    public void Machine_settings_are_read()
    {
        var settings = From(("OrleansSync:MachineId", "gpu-1"), ("OrleansSync:MachineName", "GPU box"),
            ("OrleansSync:HeartbeatInterval", "00:00:05"), ("OrleansSync:InactiveAfter", "00:00:20"));
        var machine = MachineIdentity.Resolve(settings);
        Assert.Equal(("gpu-1", "GPU box"), (machine.Id, machine.Name));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)), (machine.HeartbeatInterval, machine.InactiveAfter));
    }

    [Fact]
    public void Generated_machine_id_is_kept_in_the_data_directory()
    {
        using var data = new TestSupport.TempDirectory();
        var settings = From(("OrleansSync:DataDirectory", data.Path));
        var first = MachineIdentity.Resolve(settings).Id;
        Assert.StartsWith("machine_", first);
        Assert.Equal(first, MachineIdentity.Resolve(settings).Id);
        Assert.Equal(first, File.ReadAllText(Path.Combine(data.Path, MachineIdentity.FileName)));
    }

    [Fact]
    public void Machine_id_with_a_slash_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => MachineIdentity.Resolve(From(("OrleansSync:MachineId", "a/b"))));
        Assert.Contains("without '/'", error.Message);
    }
}

using OrleansSync.Grains.Gun;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>Creates without an activation and activations of the same soul never overlap.</summary>
public sealed class GunNodeActivationsTests
{
    [Fact]
    public async Task An_activation_waits_for_the_creates_in_flight_on_its_soul()
    {
        var activations = new GunNodeActivations();
        Assert.True(activations.TryBeginCreate("s"));
        Assert.True(activations.TryBeginCreate("s"));
        var activated = activations.Activated("s");
        Assert.True(activations.Activated("other").IsCompleted);

        activations.EndCreate("s");
        Assert.False(activated.IsCompleted);
        activations.EndCreate("s");
        await activated.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void No_create_begins_while_an_activation_holds_the_soul()
    {
        var activations = new GunNodeActivations();
        Assert.True(activations.Activated("s").IsCompleted);
        // A second activation may begin before the first has ended (Orleans replaces one with another).
        Assert.True(activations.Activated("s").IsCompleted);
        Assert.False(activations.TryBeginCreate("s"));
        Assert.True(activations.TryBeginCreate("t"));

        activations.Deactivated("s");
        Assert.False(activations.TryBeginCreate("s"));
        activations.Deactivated("s");
        Assert.True(activations.TryBeginCreate("s"));
        Assert.Equal(0, activations.ActiveCount);
    }
}

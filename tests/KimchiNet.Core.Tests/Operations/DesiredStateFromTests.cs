using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Tests.Operations;

/// <summary>The one builder of a desired state from what Test-KimchiNetwork and the DSC resource are given.</summary>
public sealed class DesiredStateFromTests
{
    [Fact]
    public void From_EmptyValues_ShouldMeanDontCare()
    {
        var desired = DesiredState.From("lab", Ensure.Present, connection: "", interfaces: [], subnet: "");

        Assert.Null(desired.Connection);
        Assert.Null(desired.Interfaces);
        Assert.Null(desired.Subnet);
    }

    [Fact]
    public void From_NullName_ShouldBeEmptyName()
    {
        Assert.Equal(string.Empty, DesiredState.From(null).Name);
    }

    [Fact]
    public void From_GivenValues_ShouldKeepThem()
    {
        var desired = DesiredState.From("lab", Ensure.Absent, "VEPA", ["eth1", "eth2"], "10.1.1.0/24", 7, NetworkState.Active, autostart: false);

        Assert.Equal(Ensure.Absent, desired.Ensure);
        Assert.Equal(ConnectionType.Vepa, desired.Connection);
        Assert.Equal(["eth1", "eth2"], desired.Interfaces);
        Assert.Equal("10.1.1.0/24", desired.Subnet);
        Assert.Equal(7, desired.VlanId);
        Assert.Equal(NetworkState.Active, desired.State);
        Assert.False(desired.Autostart);
    }

    [Fact]
    public void From_UnknownConnection_ShouldThrowKCHNET0012E()
    {
        var error = Assert.Throws<KimchiException>(() => DesiredState.From("lab", connection: "wormhole"));

        Assert.Equal(ErrorCodes.InvalidConnection, error.Code);
    }
}

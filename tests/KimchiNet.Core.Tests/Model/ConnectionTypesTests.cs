using System;
using KimchiNet.Model;

namespace KimchiNet.Core.Tests.Model;

public sealed class ConnectionTypesTests
{
    public static TheoryData<string, ConnectionType> Names => new()
    {
        { "isolated", ConnectionType.Isolated },
        { "ISOLATED", ConnectionType.Isolated },
        { "nat", ConnectionType.Nat },
        { "NAT", ConnectionType.Nat },
        { "nAt", ConnectionType.Nat },
        { "macvtap", ConnectionType.Macvtap },
        { "MacVTap", ConnectionType.Macvtap },
        { "bridge", ConnectionType.Bridge },
        { "Bridge", ConnectionType.Bridge },
        { "vepa", ConnectionType.Vepa },
        { "VEPA", ConnectionType.Vepa },
        { "passthrough", ConnectionType.Passthrough },
        { "PassThrough", ConnectionType.Passthrough },
        { "routed", ConnectionType.Routed },
        { "ROUTED", ConnectionType.Routed },
        { "open", ConnectionType.Open },
        { "Open", ConnectionType.Open },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void TryParse_WithKimchiNameInAnyCase_ShouldAccept(string text, ConnectionType expected)
    {
        Assert.True(ConnectionTypes.TryParse(text, out var connection));
        Assert.Equal(expected, connection);
        Assert.Equal(expected, ConnectionTypes.Parse(text));
    }

    public static TheoryData<string?> NotNames => new()
    {
        null, "", " ", "nat ", " nat", "natural", "vepa2", "1", "0", "5", "-1", "Nat,Bridge", "nat\0",
        "brigde", "pass-through", "route", "6", "opened", "NAT\u200B", "\u0131solated", "pa\u017F\u017Fthrough", "br\u0130dge",
    };

    [Theory]
    [MemberData(nameof(NotNames))]
    public void TryParse_WithAnythingElse_ShouldRefuseAndParseShouldReportKCHNET0012E(string? text)
    {
        Assert.False(ConnectionTypes.TryParse(text, out _));
        var ex = Assert.Throws<KimchiException>(() => ConnectionTypes.Parse(text));
        Assert.Equal(ErrorCodes.InvalidConnection, ex.Code);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(text, ex.Target);
    }

    [Fact]
    public void All_OfTheConnectionTypes_ShouldBeKimchisSixInItsOrderThenRoutedAndOpen()
    {
        Assert.Equal(
            [ConnectionType.Isolated, ConnectionType.Nat, ConnectionType.Macvtap, ConnectionType.Bridge, ConnectionType.Vepa, ConnectionType.Passthrough, ConnectionType.Routed, ConnectionType.Open],
            ConnectionTypes.All);
        Assert.Equal(["isolated", "nat", "macvtap", "bridge", "vepa", "passthrough", "routed", "open"], System.Linq.Enumerable.Select(ConnectionTypes.All, c => c.ToKimchiName()));
    }

    [Theory]
    [InlineData(ConnectionType.Isolated, true, false, null)]
    [InlineData(ConnectionType.Nat, true, false, "nat")]
    [InlineData(ConnectionType.Routed, true, true, "route")]
    [InlineData(ConnectionType.Open, true, false, "open")]
    [InlineData(ConnectionType.Macvtap, false, true, null)]
    [InlineData(ConnectionType.Vepa, false, true, null)]
    public void Predicates_OfEachType_ShouldSaySubnetDevicesAndForwardMode(ConnectionType connection, bool hasSubnet, bool takesInterfaces, string? mode)
    {
        Assert.Equal(hasSubnet, connection.HasSubnet());
        Assert.Equal(takesInterfaces, connection.TakesInterfaces());
        Assert.Equal(mode, connection.PrivateForwardMode());
    }

    [Fact]
    public void ParseOrUnknown_WithAKnownOrUnknownName_ShouldGiveTheTypeOrUnknown()
    {
        Assert.Equal(ConnectionType.Nat, ConnectionTypes.ParseOrUnknown("NAT"));
        Assert.Equal(ConnectionTypes.Unknown, ConnectionTypes.ParseOrUnknown("bogus"));
        Assert.False(Enum.IsDefined(ConnectionTypes.Unknown));
    }
}

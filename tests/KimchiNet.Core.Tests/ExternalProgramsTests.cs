using System;
using Xunit.Sdk;

namespace KimchiNet.Tests;

public sealed class ExternalProgramsTests
{
    [Fact]
    public void Find_WithAProgramNotOnPath_ShouldFailNamingItAndItsDebianPackage()
    {
        var error = Assert.Throws<XunitException>(() => ExternalPrograms.Find("nc", searchPath: "/nonexistent-kimchinet-dir"));

        Assert.StartsWith("nc not found (Debian package netcat-openbsd)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_WithAProgramTheListLacks_ShouldSayToAddIt()
    {
        var name = "kimchinet-" + Guid.NewGuid().ToString("N");

        var error = Assert.Throws<XunitException>(() => ExternalPrograms.Find(name));

        Assert.Contains("Dependencies.psd1 does not list it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_WithAProgramOnPath_ShouldGiveItsAbsolutePath()
    {
        var path = ExternalPrograms.Find("ip");

        Assert.True(System.IO.Path.IsPathRooted(path), path);
        Assert.EndsWith("/ip", path, StringComparison.Ordinal);
    }
}

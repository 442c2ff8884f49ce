using System;
using KimchiNet.Model;

namespace KimchiNet.Core.Tests;

public sealed class ArchitectureTests
{
    [Fact]
    public void CoreAssembly_References_ShouldIncludeNoPowerShellAssembly()
    {
        var references = typeof(NetworkSpec).Assembly.GetReferencedAssemblies();

        // Guard: an empty list would make the next assertion pass for the wrong reason.
        Assert.Contains(references, a => a.Name is "System.Runtime" or "netstandard" or "mscorlib");
        Assert.DoesNotContain(references, a => a.Name == "System.Management.Automation");
        Assert.DoesNotContain(references, a => a.Name!.StartsWith("Microsoft.PowerShell", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void CoreAssembly_OfTheModelTypes_ShouldBeKimchiNetCore()
    {
        Assert.Equal("KimchiNet.Core", typeof(NetworkSpec).Assembly.GetName().Name);
        Assert.Contains(typeof(NetworkSpec).Assembly.GetTypes(), t => t.Namespace == "KimchiNet.Planning");
    }
}

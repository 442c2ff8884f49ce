namespace KimchiNet.Tests.Libvirt;

/// <summary>
/// Tests that use the process-wide connection pool run one class at a time, so one class closing a
/// pooled URI never pulls the connection from under another (concurrency is tested on purpose, inside a test).
/// </summary>
[CollectionDefinition(Name)]
public sealed class LibvirtCollection
{
    public const string Name = "libvirt connection pool";
}

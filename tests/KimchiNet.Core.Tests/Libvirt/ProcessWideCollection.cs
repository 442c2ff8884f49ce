namespace KimchiNet.Tests.Libvirt;

/// <summary>
/// Tests that measure the whole process (open handles, working set) run alone, after every parallel
/// collection: other classes' child processes and pipes would otherwise move the counts they read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "process-wide measurements";
}

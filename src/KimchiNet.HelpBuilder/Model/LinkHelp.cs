namespace KimchiNet.HelpBuilder.Model;

/// <summary>A related link.</summary>
/// <param name="Text">The link text (a command name, a topic or a title).</param>
/// <param name="Uri">An absolute address, or null for links to sibling pages, which Get-Help shows by name.</param>
public sealed record LinkHelp(string Text, string? Uri);

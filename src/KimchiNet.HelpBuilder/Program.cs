using System;
using System.IO;
using KimchiNet.HelpBuilder;

// Usage: KimchiNet.HelpBuilder <docs/en-US folder> <output folder>
// Exit codes: 0 help written, 1 the docs have errors (each printed as file(line): error: …), 2 usage or I/O failure.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: KimchiNet.HelpBuilder <docs folder (docs/en-US)> <output folder (en-US)>");
    return 2;
}

HelpBuildResult result;
try
{
    result = HelpBuild.Run(args[0], args[1]);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

foreach (var diagnostic in result.Diagnostics)
{
    Console.Error.WriteLine(diagnostic);
}

if (!result.Succeeded)
{
    Console.Error.WriteLine($"help not built: {result.Diagnostics.Count} error(s) in {args[0]}.");
    return 1;
}

foreach (var path in result.Written)
{
    Console.WriteLine($"wrote {path}");
}

return 0;

using System.Globalization;

namespace KimchiNet.HelpBuilder;

/// <summary>A problem in a markdown file that stops the build, located by file and line.</summary>
/// <param name="File">The file's path as the builder was given it.</param>
/// <param name="Line">The 1-based line the problem is at.</param>
/// <param name="Message">What is wrong, and where possible what to write instead.</param>
public sealed record HelpDiagnostic(string File, int Line, string Message)
{
    /// <summary>MSBuild's canonical error form, so IDEs and CI logs link straight to the line.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}({Line}): error: {Message}");
}

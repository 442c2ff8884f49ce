using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Xunit.Sdk;

namespace KimchiNet.Tests.Xml;

/// <summary>
/// Compares two XML documents by structure: element names (with namespaces), attributes as a set
/// (order and namespace declarations ignored), non-whitespace text, and children in order.
/// Whitespace-only text is insignificant. The first difference is reported by its path.
/// </summary>
internal static class XmlAssert
{
    public static void Equivalent(string expected, string actual)
    {
        var difference = FirstDifference(XElement.Parse(expected), XElement.Parse(actual));
        if (difference is not null)
        {
            throw new XunitException($"XML differs at {difference}\n--- expected ---\n{expected}\n--- actual ---\n{actual}");
        }
    }

    /// <summary>The first difference as "path: what", or null when the elements are equivalent.</summary>
    public static string? FirstDifference(XElement expected, XElement actual) => Compare(expected, actual, "/" + Name(expected));

    private static string? Compare(XElement expected, XElement actual, string path)
    {
        if (expected.Name != actual.Name)
        {
            return $"{path}: element {actual.Name} where {expected.Name} was expected";
        }

        var expectedAttributes = Attributes(expected);
        var actualAttributes = Attributes(actual);
        foreach (var (name, value) in expectedAttributes)
        {
            if (!actualAttributes.TryGetValue(name, out var other))
            {
                return $"{path}/@{name}: missing (expected '{value}')";
            }

            if (other != value)
            {
                return $"{path}/@{name}: '{other}' where '{value}' was expected";
            }
        }

        foreach (var name in actualAttributes.Keys.Where(name => !expectedAttributes.ContainsKey(name)))
        {
            return $"{path}/@{name}: unexpected attribute '{actualAttributes[name]}'";
        }

        var expectedText = Text(expected);
        var actualText = Text(actual);
        if (expectedText != actualText)
        {
            return $"{path}/text(): '{actualText}' where '{expectedText}' was expected";
        }

        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        var counts = new Dictionary<XName, int>();
        for (var i = 0; i < Math.Max(expectedChildren.Count, actualChildren.Count); i++)
        {
            if (i >= actualChildren.Count)
            {
                return $"{path}: missing child {Name(expectedChildren[i])} (child {i + 1})";
            }

            if (i >= expectedChildren.Count)
            {
                return $"{path}: unexpected child {Name(actualChildren[i])} (child {i + 1})";
            }

            var name = expectedChildren[i].Name;
            counts[name] = counts.GetValueOrDefault(name) + 1;
            var childPath = string.Create(CultureInfo.InvariantCulture, $"{path}/{Name(expectedChildren[i])}[{counts[name]}]");
            var difference = Compare(expectedChildren[i], actualChildren[i], childPath);
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    private static Dictionary<XName, string> Attributes(XElement element) =>
        element.Attributes().Where(a => !a.IsNamespaceDeclaration).ToDictionary(a => a.Name, a => a.Value);

    private static string Text(XElement element) =>
        string.Concat(element.Nodes().OfType<XText>().Select(t => t.Value).Where(v => !string.IsNullOrWhiteSpace(v)));

    private static string Name(XElement element) =>
        element.Name.Namespace == XNamespace.None ? element.Name.LocalName : $"{{{element.Name.NamespaceName}}}{element.Name.LocalName}";
}

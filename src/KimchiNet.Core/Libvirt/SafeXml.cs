using System.IO;
using System.Xml;
using System.Xml.Linq;

namespace KimchiNet.Libvirt;

/// <summary>Loads XML that came from libvirt (or a user) with DTDs refused and no resolver, so nothing is fetched or expanded.</summary>
internal static class SafeXml
{
    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    /// <summary>Parses <paramref name="xml"/>; malformed text becomes a KCHNET0107E <see cref="KimchiException"/> naming <paramref name="what"/>.</summary>
    internal static XElement Parse(string xml, string what)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), s_settings);
            return XDocument.Load(reader).Root ?? throw new XmlException("No root element.");
        }
        catch (XmlException e)
        {
            throw new KimchiException(ErrorCodes.MalformedXml, ErrorKind.InvalidInput, $"The XML of {what} cannot be read: {e.Message}", what, e);
        }
    }

    /// <summary>An attribute's value, or null when absent or blank.</summary>
    internal static string? Attr(XElement? element, string name)
    {
        var value = element?.Attribute(name)?.Value;
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}

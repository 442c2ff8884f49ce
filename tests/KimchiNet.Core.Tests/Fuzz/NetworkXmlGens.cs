using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using KimchiNet.Tests.Xml;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Fuzz;

/// <summary>
/// Generators of libvirt-shaped network XML text: trees of the element and attribute names the
/// reader knows (and libvirt's others), mixed with garbage names, values and characters; real
/// fixtures mutated (truncated, bytes flipped, ranges cut, doubled or inserted); and hand-made
/// hostile documents (DTDs and entities, megabyte values, deep nesting, namespace tricks).
/// The text is written by hand, not with an XML writer, so it can be anything.
/// </summary>
internal static class NetworkXmlGens
{
    private const string KimchiNs = NetworkMetadataKimchiNetXml.Namespace;

    private static readonly string[] s_elementNames =
    [
        "network", "name", "uuid", "metadata", "forward", "bridge", "ip", "dhcp", "range", "host", "vlan", "tag",
        "virtualport", "parameters", "portgroup", "interface", "pf", "address", "mac", "domain", "dns", "txt", "srv",
        "route", "mtu", "bandwidth", "inbound", "outbound", "nat", "port", "tftp", "bootp", "lease",
        "kn:network", "kn:interface", "kn:vlan", "kn:created", "kn:bridge", "kn:address", "kn:connection", "kn:other",
        "other:thing", "undeclared:x", "x", "_", "a.b-c", "名前", "ｎａｍｅ",
    ];

    private static readonly string[] s_attributeNames =
    [
        "mode", "dev", "name", "stp", "delay", "address", "netmask", "prefix", "family", "start", "end", "id",
        "nativeMode", "trunk", "type", "default", "value", "parent", "connections", "localOnly", "ipv6", "size", "unit",
        "kn:dev", "kn:id", "other:attr", "xml:lang", "xml:space", "xmlns", "xmlns:kn", "xmlns:other", "xmlns:x", "z", "ä",
    ];

    /// <summary>Values that sit on the edges of what the reader parses (numbers, addresses, namespaces) or of XML itself.</summary>
    private static readonly string[] s_values =
    [
        string.Empty, " ", "0", "1", "-1", "+1", "01", "10", "24", "29", "32", "33", "255", "256", "4094", "4095", "65535",
        "2147483647", "2147483648", "4294967295", "4294967296", "18446744073709551615", "18446744073709551616", "1e3", "0x10",
        "١٢", "nat", "route", "open", "bridge", "macvtap", "vepa", "passthrough", "private", "hostdev", "isolated", "on", "off",
        "yes", "no", "ipv4", "ipv6", "inet", "192.168.122.1", "255.255.255.0", "255.0.255.0", "10.0.0.0", "0.0.0.0",
        "255.255.255.255", "1.2.3", "1.2.3.4.5", "::1", "fe80::1", "2001:db8::", "2001:db8::/64", "::ffff:1.2.3.4", "1.2.3.4/24",
        "eth0", "kbeth4", "br0", "lo", "openvswitch", "802.1Qbh", KimchiNs, "urn:other", "http://www.w3.org/XML/1998/namespace",
        "&amp;", "&lt;&gt;&quot;&apos;", "&#65;", "&#x1F680;", "&#0;", "&#xD800;", "&bogus;", "&", "<", "a\"b", "a'b",
        "\t\n\r", "\u00A0", "\u202E", "\uFEFF", "\U0001F680", "\uD800", "\u0001", "\0",
    ];

    private static readonly Gen<string> s_garbageText = Gen.String[Gen.Char, 0, 12];

    private static readonly Gen<string> s_elementName = Gen.Frequency(
        (12, Gen.OneOfConst(s_elementNames)),
        (1, Gen.String[Gen.Char["abcxyz:_-.0<>& "], 0, 6]));

    private static readonly Gen<string> s_attributeName = Gen.Frequency(
        (12, Gen.OneOfConst(s_attributeNames)),
        (1, Gen.String[Gen.Char["abcxyz:_-.0<>&= "], 0, 6]));

    /// <summary>Mostly escaped (it reaches the reader), sometimes raw (it breaks the XML on purpose).</summary>
    private static readonly Gen<string> s_value = Gen.Frequency(
        (10, Gen.OneOfConst(s_values)),
        (4, s_garbageText.Select(Escape)),
        (1, s_garbageText));

    private static readonly Gen<string> s_attributes = Gen.Select(s_attributeName, s_value, Gen.Int[0, 9])
        .Select((name, value, quote) => quote == 0 ? $" {name}={value}" : quote < 5 ? $" {name}='{value.Replace("'", "&apos;", StringComparison.Ordinal)}'" : $" {name}=\"{value.Replace("\"", "&quot;", StringComparison.Ordinal)}\"")
        .Array[0, 4]
        .Select(string.Concat);

    private static readonly Gen<string> s_text = Gen.Frequency(
        (6, Gen.Const(string.Empty)),
        (4, Gen.OneOfConst(s_values)),
        (2, s_garbageText.Select(Escape)),
        (1, Gen.OneOfConst("<![CDATA[x]]>", "<!-- c -->", "<?pi x?>", "]]>", "<!-- -- -->", "<![CDATA[", "</x>")));

    /// <summary>
    /// A known or garbage element: empty, with text, or with children down to <paramref name="depth"/>
    /// more levels. <paramref name="clean"/> keeps it well formed (escaped values, names whose prefix
    /// the root declares, every element closed), so that the case reaches the reader's own code.
    /// </summary>
    private static Gen<string> Element(int depth, bool clean)
    {
        var text = clean ? s_cleanText : s_text;
        var children = depth == 0
            ? text
            : Gen.Frequency((3, text), (4, Element(depth - 1, clean).Array[0, 4].Select(string.Concat)));
        return Gen.Select(clean ? s_cleanElementName : s_elementName, clean ? s_cleanAttributes : s_attributes, children, Gen.Int[0, 19])
            .Select((name, attributes, content, shape) => shape switch
            {
                0 when !clean => $"<{name}{attributes}>{content}",                  // never closed
                1 when !clean => $"<{name}{attributes}>{content}</{name}x>",        // closed by another name
                < 8 => $"<{name}{attributes}/>",
                _ => $"<{name}{attributes}>{content}</{name}>",
            });
    }

    private static readonly Gen<string> s_cleanElementName =
        Gen.OneOfConst(s_elementNames.Where(n => !n.StartsWith("undeclared:", StringComparison.Ordinal) && n != "ｎａｍｅ").ToArray());

    /// <summary>Attributes that are well formed: known names (no namespace declarations) and escaped values, each name once.</summary>
    private static readonly Gen<string> s_cleanAttributes = Gen.Select(
            Gen.OneOfConst(s_attributeNames.Where(n => !n.StartsWith("xmlns", StringComparison.Ordinal) && n != "xml:space").ToArray()),
            Gen.Frequency((10, Gen.OneOfConst(s_values.Where(IsCleanValue).ToArray())), (3, s_garbageText.Where(IsCleanValue).Select(Escape))))
        .Array[0, 4]
        .Select(pairs => string.Concat(pairs.DistinctBy(p => p.Item1).Select(p => $" {p.Item1}='{p.Item2.Replace("'", "&apos;", StringComparison.Ordinal)}'")));

    private static readonly Gen<string> s_cleanText = Gen.Frequency(
        (6, Gen.Const(string.Empty)),
        (4, Gen.OneOfConst(s_values.Where(IsCleanValue).ToArray())),
        (2, s_garbageText.Where(IsCleanValue).Select(Escape)),
        (1, Gen.OneOfConst("<![CDATA[x<&]]>", "<!-- c -->", "<?pi x?>")));

    /// <summary>A &lt;network&gt; (usually; sometimes another root) with a name (usually), KimchiNet's namespace declared (usually) and random children.</summary>
    public static readonly Gen<string> Tree = TreeOf(clean: false);

    /// <summary>A well-formed &lt;network&gt; with a name and KimchiNet's namespace declared, of known and garbage elements.</summary>
    public static readonly Gen<string> CleanTree = TreeOf(clean: true);

    private static Gen<string> TreeOf(bool clean) =>
        Gen.Select(Gen.Int[0, 19], clean ? s_cleanAttributes : s_attributes, Gen.Int[0, 9], clean ? s_cleanText : s_text, Element(4, clean).Array[0, 8], Gen.Int[0, 19])
            .Select((rootShape, rootAttributes, nameShape, name, children, prolog) =>
            {
                var root = clean ? "network" : rootShape switch { 0 => "domain", 1 => "kn:network", 2 => "Network", _ => "network" };
                var declarations = !clean && rootShape % 4 == 3 ? string.Empty : $" xmlns:kn='{KimchiNs}' xmlns:other='urn:other'";
                var nameElement = nameShape switch { 0 when !clean => string.Empty, 1 => "<name/>", _ => $"<name>{name}</name>" };
                var at = children.Length == 0 ? 0 : nameShape % (children.Length + 1);
                var content = string.Concat(children.Take(at)) + nameElement + string.Concat(children.Skip(at));
                var head = prolog switch
                {
                    0 => "<?xml version='1.0' encoding='UTF-8'?>",
                    1 when !clean => "<?xml version='1.0' encoding='UTF-16'?>",
                    2 when !clean => "\uFEFF",
                    3 => "<!-- libvirt -->\n",
                    4 => "  \n",
                    _ => string.Empty,
                };
                return $"{head}<{root}{declarations}{rootAttributes}>{content}</{root}>";
            });

    /// <summary>No character XML forbids (controls, lone surrogates, U+FFFE/U+FFFF) and no character reference to one.</summary>
    private static bool IsCleanValue(string value) =>
        !value.Contains("&#0;", StringComparison.Ordinal) && !value.Contains("&#xD800;", StringComparison.Ordinal)
        && !value.Contains("&bogus;", StringComparison.Ordinal) && value != "&" && value != "<"
        && HasOnlyXmlChars(value);

    private static bool HasOnlyXmlChars(string value)
    {
        try
        {
            System.Xml.XmlConvert.VerifyXmlChars(value);
            return true;
        }
        catch (System.Xml.XmlException)
        {
            return false;
        }
    }

    /// <summary>The real network fixtures (libvirt's and KimchiNet's own), read once.</summary>
    public static readonly string[] Fixtures = Directory
        .GetFiles(NetworkFixtures.Folder, "*.xml")
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    private static readonly string[] s_insertions =
    [
        "<", ">", "/>", "</network>", "<network>", "<name>", "</name>", "&", "&amp;", "&bogus;", "&#0;", "'", "\"", "=",
        "<!DOCTYPE network>", "<![CDATA[", "]]>", "<!--", "-->", "<?x?>", "xmlns:kn=''", " xmlns='urn:x'", "\0", "\uD800", "\uFEFF",
        "<ip address='1.2.3.4' prefix='4294967295'/>", "<tag id='4294967296'/>", "<kn:vlan id='-1'/>", "<forward mode='bridge'/>",
    ];

    /// <summary>One edit of a text: truncate, flip a character, delete, double or insert a range.</summary>
    private static readonly Gen<Func<string, string>> s_mutation = Gen.Frequency(
        (3, Gen.Double.Select<double, Func<string, string>>(at => s => s[..Position(s, at)])),
        (4, Gen.Select(Gen.Double, Gen.Char).Select<(double, char), Func<string, string>>(p => s => s.Length == 0 ? s : s.Remove(Position(s, p.Item1, 1), 1).Insert(Position(s, p.Item1, 1), p.Item2.ToString()))),
        (3, Gen.Select(Gen.Double, Gen.Byte).Select<(double, byte), Func<string, string>>(p => s => FlipBit(s, p.Item1, p.Item2))),
        (2, Gen.Select(Gen.Double, Gen.Int[1, 40]).Select<(double, int), Func<string, string>>(p => s => s.Remove(Position(s, p.Item1), Math.Min(p.Item2, s.Length - Position(s, p.Item1))))),
        (2, Gen.Select(Gen.Double, Gen.Int[1, 200]).Select<(double, int), Func<string, string>>(p => s =>
        {
            var at = Position(s, p.Item1);
            return s.Insert(at, s.Substring(at, Math.Min(p.Item2, s.Length - at)));
        })),
        (4, Gen.Select(Gen.Double, Gen.OneOfConst(s_insertions)).Select<(double, string), Func<string, string>>(p => s => s.Insert(Position(s, p.Item1), p.Item2))));

    /// <summary>A real fixture with one to five edits.</summary>
    public static readonly Gen<string> MutatedFixture =
        Gen.Select(Gen.Int[0, Fixtures.Length - 1], s_mutation.Array[1, 5])
            .Select((index, edits) => edits.Aggregate(Fixtures[index], (text, edit) => edit(text)));

    /// <summary>A generated tree with a few edits.</summary>
    public static readonly Gen<string> MutatedTree =
        Gen.Select(Tree, s_mutation.Array[1, 3]).Select((text, edits) => edits.Aggregate(text, (t, edit) => edit(t)));

    /// <summary>Hand-made hostile documents; some are megabytes long.</summary>
    public static readonly Gen<string> Hostile = Gen.Select(Gen.Int[0, 15], Gen.Int[1, 4_000_000], Gen.Int[200, 320])
        .Select((kind, size, depth) => kind switch
        {
            0 => "<!DOCTYPE network [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><network><name>&c;</name></network>",
            1 => "<!DOCTYPE network [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><network><name>&xxe;</name></network>",
            2 => "<!DOCTYPE network SYSTEM \"http://127.0.0.1:9/network.dtd\"><network><name>n</name></network>",
            3 => "<!DOCTYPE network [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><network><name>n</name></network>",
            4 => $"<network><name>n</name><bridge name='{new string('b', size)}'/></network>",
            5 => $"<network><name>{new string('n', size)}</name></network>",
            6 => $"<network><name>n</name><ip address='10.0.0.1' prefix='{new string('9', size)}'/></network>",
            7 => Nested(depth),
            8 => Nested(size / 20),
            9 => "<network><name>n</name>" + string.Concat(Enumerable.Range(0, Math.Min(size, 200_000) / 40).Select(i => $"<ip address='10.{i % 256}.0.1' prefix='24'/>")) + "</network>",
            10 => "<network><name>n</name><bridge " + string.Concat(Enumerable.Range(0, Math.Min(size, 200_000) / 12).Select(i => $" a{i}='{i}'")) + "/></network>",
            11 => $"<network xmlns:kn='{KimchiNs}'><name>n</name><metadata><kn:network>" + string.Concat(Enumerable.Range(0, Math.Min(size, 100_000) / 30).Select(i => $"<kn:interface dev='e{i}'/>")) + "</kn:network></metadata></network>",
            12 => $"<network><name>n</name><metadata><kn:network xmlns:kn='{KimchiNs}'><kn:created xmlns:kn='urn:other'><kn:bridge name='x'/></kn:created></kn:network></metadata></network>",
            13 => "<network xmlns:a='urn:a'><name>n</name><bridge a:name='x' xml:lang='en'><a:b xmlns:a='urn:b' a:c='d'/></bridge></network>",
            14 => "<network><name>n</name>" + new string(' ', size) + "</network>",
            _ => "<network><name>n</name><!-- " + new string('-', 3) + " --></network>",
        });

    /// <summary>A &lt;network&gt; whose metadata nests <paramref name="depth"/> elements (the root counts as one level).</summary>
    public static string Nested(int depth)
    {
        var inner = Math.Max(0, depth - 1);
        var builder = new StringBuilder((inner * 9) + 64);
        builder.Append("<network><name>deep</name>");
        builder.Insert(builder.Length, "<a>", inner);
        builder.Insert(builder.Length, "</a>", inner);
        builder.Append("</network>");
        return builder.ToString();
    }

    /// <summary>Everything above, weighted towards the cheap cases.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
        (10, CleanTree),
        (4, Tree),
        (8, MutatedFixture),
        (3, MutatedTree),
        (1, Gen.OneOfConst(Fixtures)));

    private static int Position(string s, double at, int reserve = 0) =>
        s.Length - reserve <= 0 ? 0 : Math.Clamp((int)(at * (s.Length - reserve + 1)), 0, s.Length - reserve);

    private static string FlipBit(string s, double at, byte bits)
    {
        if (s.Length == 0)
        {
            return s;
        }

        var bytes = Encoding.UTF8.GetBytes(s);
        var index = Math.Clamp((int)(at * bytes.Length), 0, bytes.Length - 1);
        bytes[index] ^= (byte)(bits == 0 ? 1 : bits);
        // Invalid UTF-8 becomes U+FFFD, as it would reading a corrupt file.
        return Encoding.UTF8.GetString(bytes);
    }

    private static string Escape(string s) => s
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);
}

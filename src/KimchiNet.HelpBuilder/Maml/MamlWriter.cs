using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using KimchiNet.HelpBuilder.Model;

namespace KimchiNet.HelpBuilder.Maml;

/// <summary>
/// Writes command help as MAML, the XML that Get-Help reads for cmdlets. Written element by element
/// with <see cref="XmlWriter"/> rather than serialised: MAML mixes four namespaces, repeats each
/// parameter once per syntax item with that set's facts, and Get-Help is particular about attribute
/// spellings ("named", "True (ByPropertyName)", "none").
/// </summary>
public static class MamlWriter
{
    /// <summary>The document namespace.</summary>
    public const string MshNamespace = "http://msh";

    /// <summary>The maml: namespace.</summary>
    public const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";

    /// <summary>The command: namespace.</summary>
    public const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    /// <summary>The dev: namespace.</summary>
    public const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly XmlWriterSettings s_settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Replace,
    };

    /// <summary>The MAML document for the commands, as text with "\n" line ends.</summary>
    public static string Write(IEnumerable<CommandHelp> commands)
    {
        using var stream = new MemoryStream();
        Write(commands, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the MAML document for the commands to a stream (UTF-8, no byte order mark).</summary>
    public static void Write(IEnumerable<CommandHelp> commands, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(commands);
        using var xml = XmlWriter.Create(stream, s_settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("helpItems", MshNamespace);
        xml.WriteAttributeString("schema", "maml");
        foreach (var command in commands)
        {
            WriteCommand(xml, command);
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
        xml.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp command)
    {
        xml.WriteStartElement("command", "command", CommandNamespace);
        xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
        xml.WriteAttributeString("xmlns", "command", null, CommandNamespace);
        xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);

        xml.WriteStartElement("command", "details", CommandNamespace);
        xml.WriteElementString("command", "name", CommandNamespace, command.Name);
        xml.WriteElementString("command", "verb", CommandNamespace, command.Verb);
        xml.WriteElementString("command", "noun", CommandNamespace, command.Noun);
        WriteDescription(xml, command.Synopsis);
        xml.WriteEndElement();

        WriteDescription(xml, command.Description);

        xml.WriteStartElement("command", "syntax", CommandNamespace);
        foreach (var set in command.Syntax)
        {
            xml.WriteStartElement("command", "syntaxItem", CommandNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, command.Name);
            foreach (var shown in set.Parameters)
            {
                var parameter = command.Parameters.First(p => string.Equals(p.Name, shown.Name, StringComparison.OrdinalIgnoreCase));
                WriteParameter(xml, parameter, parameter.FactsFor(set.ParameterSetName)!);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "parameters", CommandNamespace);
        foreach (var parameter in command.Parameters)
        {
            WriteParameter(xml, parameter, parameter.SetFacts[0]);
        }

        xml.WriteEndElement();

        WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
        WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

        if (command.Notes.Count > 0)
        {
            xml.WriteStartElement("maml", "alertSet", MamlNamespace);
            xml.WriteStartElement("maml", "alert", MamlNamespace);
            WriteParagraphs(xml, command.Notes);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteStartElement("command", "examples", CommandNamespace);
        foreach (var example in command.Examples)
        {
            xml.WriteStartElement("command", "example", CommandNamespace);
            // Get-Help prints the title as it stands; the rule of dashes is how every shipped MAML file sets examples apart.
            xml.WriteElementString("maml", "title", MamlNamespace, $"-------------------------- {example.Title} --------------------------");
            xml.WriteElementString("dev", "code", DevNamespace, example.Code);
            xml.WriteStartElement("dev", "remarks", DevNamespace);
            WriteParagraphs(xml, example.Remarks);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "relatedLinks", CommandNamespace);
        foreach (var link in command.RelatedLinks)
        {
            xml.WriteStartElement("maml", "navigationLink", MamlNamespace);
            xml.WriteElementString("maml", "linkText", MamlNamespace, link.Text);
            xml.WriteElementString("maml", "uri", MamlNamespace, link.Uri ?? string.Empty);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, ParameterSetFacts facts)
    {
        xml.WriteStartElement("command", "parameter", CommandNamespace);
        xml.WriteAttributeString("required", facts.Required ? "true" : "false");
        xml.WriteAttributeString("variableLength", "true");
        xml.WriteAttributeString("globbing", parameter.Globbing ? "true" : "false");
        xml.WriteAttributeString("pipelineInput", facts.PipelineInput);
        xml.WriteAttributeString("position", facts.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named");
        xml.WriteAttributeString("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases));
        xml.WriteElementString("maml", "name", MamlNamespace, parameter.Name);
        WriteDescription(xml, parameter.Description);

        if (parameter.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", CommandNamespace);
            foreach (var value in parameter.AcceptedValues)
            {
                xml.WriteStartElement("command", "parameterValue", CommandNamespace);
                xml.WriteAttributeString("required", "false");
                xml.WriteAttributeString("command", "variableLength", CommandNamespace, "false");
                xml.WriteString(value);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        // A switch takes no value, so it has no placeholder: Get-Help then shows [-Force], not [-Force <SwitchParameter>].
        if (!parameter.IsSwitch)
        {
            xml.WriteStartElement("command", "parameterValue", CommandNamespace);
            xml.WriteAttributeString("required", "true");
            xml.WriteAttributeString("variableLength", "false");
            xml.WriteString(parameter.Type);
            xml.WriteEndElement();
        }

        xml.WriteStartElement("dev", "type", DevNamespace);
        xml.WriteElementString("maml", "name", MamlNamespace, parameter.Type);
        xml.WriteElementString("maml", "uri", MamlNamespace, string.Empty);
        xml.WriteEndElement();
        xml.WriteElementString("dev", "defaultValue", DevNamespace, parameter.DefaultValue ?? "None");
        xml.WriteEndElement();
    }

    private static void WriteTypes(XmlWriter xml, string listName, string itemName, IReadOnlyList<TypeHelp> types)
    {
        xml.WriteStartElement("command", listName, CommandNamespace);
        foreach (var type in types)
        {
            xml.WriteStartElement("command", itemName, CommandNamespace);
            xml.WriteStartElement("dev", "type", DevNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, type.Name);
            xml.WriteEndElement();
            WriteDescription(xml, type.Description);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WriteDescription(XmlWriter xml, IReadOnlyList<string> paragraphs)
    {
        xml.WriteStartElement("maml", "description", MamlNamespace);
        WriteParagraphs(xml, paragraphs);
        xml.WriteEndElement();
    }

    private static void WriteParagraphs(XmlWriter xml, IReadOnlyList<string> paragraphs)
    {
        foreach (var paragraph in paragraphs)
        {
            xml.WriteElementString("maml", "para", MamlNamespace, paragraph);
        }
    }
}

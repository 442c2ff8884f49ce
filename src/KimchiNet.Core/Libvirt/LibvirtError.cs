namespace KimchiNet.Libvirt;

/// <summary>One libvirt error (virError), copied off the failing thread's last error.</summary>
/// <param name="Function">The libvirt C function that failed, e.g. virNetworkDefineXML.</param>
/// <param name="Code">libvirt's virErrorNumber (e.g. 43 VIR_ERR_NO_NETWORK); 0 when libvirt set none.</param>
/// <param name="Domain">libvirt's virErrorDomain: the part of libvirt that raised it.</param>
/// <param name="Message">libvirt's own message.</param>
/// <param name="Detail">libvirt's str1 extra information, where set.</param>
/// <param name="Number">libvirt's int1 extra information (often an errno).</param>
public sealed record LibvirtError(string Function, int Code, int Domain, string Message, string? Detail, int Number)
{
    /// <summary>
    /// The calling thread's last libvirt error, cleared once read (see <see cref="Interop.Libvirt.TakeLastError"/>),
    /// for the call <paramref name="function"/> that just failed.
    /// </summary>
    internal static LibvirtError CaptureLast(string function)
    {
        if (Interop.Libvirt.TakeLastError() is not { } error)
        {
            return new LibvirtError(function, 0, 0, $"{function} failed without an error from libvirt.", null, 0);
        }

        return new LibvirtError(
            function,
            error.Code,
            error.Domain,
            WithoutQuotedSource(error.Code, error.Message) ?? $"{function} failed.",
            WithoutQuotedSource(error.Code, error.Str1),
            error.Int1);
    }

    /// <summary>
    /// libxml2's parse errors (VIR_ERR_XML_DETAIL) end with the offending source line and a caret
    /// under it. That line is the content of whatever file was parsed: for test:///root/secret.txt,
    /// the secret's first line. Only the first line ("FILE:LINE: what is wrong") is kept.
    /// </summary>
    internal static string? WithoutQuotedSource(int code, string? message)
    {
        if (code != LibvirtErrorNumbers.XmlDetail || message is null)
        {
            return message;
        }

        var lineEnd = message.IndexOf('\n', System.StringComparison.Ordinal);
        return lineEnd < 0 ? message : message[..lineEnd].TrimEnd();
    }
}

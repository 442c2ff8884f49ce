using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Opens a connection to the hypervisor named by the URI (null: libvirt's default). Non-interactive: no auth callback, so it never prompts on a console the host does not own. Returns an invalid handle on failure.</summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial ConnectHandle virConnectOpen(string? name);
    }
}

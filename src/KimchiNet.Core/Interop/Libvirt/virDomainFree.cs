using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Drops a domain reference; only DomainHandle.ReleaseHandle calls it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virDomainFree(IntPtr domain);
    }
}

using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The domain's name, owned by the domain object: do NOT free it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virDomainGetName(DomainHandle domain);
    }
}

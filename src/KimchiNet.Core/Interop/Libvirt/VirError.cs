using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The layout of libvirt's struct _virError (virterror.h); read only, never allocated here.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct VirError
        {
            /// <summary>virErrorNumber.</summary>
            public int Code;

            /// <summary>virErrorDomain: the part of libvirt that raised the error.</summary>
            public int Domain;

            /// <summary>char*: the human-readable message.</summary>
            public IntPtr Message;

            /// <summary>virErrorLevel.</summary>
            public int Level;

            /// <summary>Deprecated connection pointer.</summary>
            public IntPtr Conn;

            /// <summary>Deprecated domain pointer.</summary>
            public IntPtr Dom;

            /// <summary>Extra string information.</summary>
            public IntPtr Str1;

            /// <summary>Extra string information.</summary>
            public IntPtr Str2;

            /// <summary>Extra string information.</summary>
            public IntPtr Str3;

            /// <summary>Extra number information.</summary>
            public int Int1;

            /// <summary>Extra number information.</summary>
            public int Int2;

            /// <summary>Deprecated network pointer.</summary>
            public IntPtr Net;
        }
    }
}

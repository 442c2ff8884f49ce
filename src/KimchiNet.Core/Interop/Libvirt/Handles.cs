using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

/// <summary>A virConnectPtr; releasing it calls virConnectClose (libvirt keeps the connection while objects from it live).</summary>
internal sealed class ConnectHandle : SafeHandle
{
    /// <summary>An empty handle for the marshaller to fill.</summary>
    public ConnectHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Libvirt.virConnectClose(handle) >= 0;
}

/// <summary>A virNetworkPtr; releasing it calls virNetworkFree.</summary>
internal sealed class NetworkHandle : SafeHandle
{
    /// <summary>An empty handle for the marshaller to fill.</summary>
    public NetworkHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a pointer from a libvirt list.</summary>
    internal NetworkHandle(IntPtr pointer)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pointer);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Libvirt.virNetworkFree(handle) == 0;
}

/// <summary>A virDomainPtr; releasing it calls virDomainFree.</summary>
internal sealed class DomainHandle : SafeHandle
{
    /// <summary>An empty handle for the marshaller to fill.</summary>
    public DomainHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a pointer from a libvirt list.</summary>
    internal DomainHandle(IntPtr pointer)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pointer);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Libvirt.virDomainFree(handle) == 0;
}

/// <summary>A virInterfacePtr; releasing it calls virInterfaceFree.</summary>
internal sealed class InterfaceHandle : SafeHandle
{
    /// <summary>An empty handle for the marshaller to fill.</summary>
    public InterfaceHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a pointer from a libvirt list.</summary>
    internal InterfaceHandle(IntPtr pointer)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pointer);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Interop.Libvirt.virInterfaceFree(handle) == 0;
}

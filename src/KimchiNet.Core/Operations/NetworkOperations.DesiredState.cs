using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>The steps <see cref="DesiredState.Converge"/> needs that Kimchi's API has no call for.</summary>
public sealed partial class NetworkOperations
{
    /// <summary>The network named exactly <paramref name="name"/> (case-sensitive, as libvirt's), or null when there is none.</summary>
    public KimchiNetworkInfo? TryGetOne(string name) =>
        Get(n => string.Equals(n, name, StringComparison.Ordinal)).SingleOrDefault();

    /// <summary>How the host differs from <paramref name="desired"/> (see <see cref="DesiredState.Compare"/>); empty when it is as desired. Changes nothing.</summary>
    public IReadOnlyList<DesiredStateDifference> Test(DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return DesiredState.Compare(desired, TryGetOne(desired.Name))
            .Select(difference => difference with { Uri = _connection.Uri })
            .ToArray();
    }

    /// <summary>The DHCP reservation operations on the same connection, for <see cref="DesiredState.Converge"/>.</summary>
    internal DhcpOperations DhcpOperations() => new(_connection);

    /// <summary>
    /// Sets whether a persistent network starts with the host, active or not (libvirt allows both;
    /// Kimchi's update only on an inactive network). Setting the value it has is a no-op.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0002E when there is no such network; KCHNET0022E when libvirt refuses (a transient network has no autostart).</exception>
    internal KimchiNetworkInfo SetAutostart(string name, bool autostart)
    {
        var record = Find(name);
        if (record.Autostart != autostart)
        {
            try
            {
                _connection.SetAutostart(name, autostart);
            }
            catch (LibvirtException e) when (e.IsGeneric)
            {
                throw e.WithCode(ErrorCodes.UpdateFailed, ErrorKind.OperationFailed, $"Autostart of network '{DisplayText.Printable(name)}' could not be turned {(autostart ? "on" : "off")}: {e.Error.Message}");
            }
        }

        return GetOne(name);
    }

    /// <summary>
    /// Replaces a network by a new one of the same name (a change of connection type, which no update
    /// can make): removes it as <paramref name="remove"/> plans, then creates as
    /// <paramref name="create"/> plans (from <see cref="PlanCreateCore"/> with
    /// replacing, so every host check was made before anything changed). Should the create still
    /// fail, the old definition is defined again, with its autostart, and started if it ran.
    /// </summary>
    /// <exception cref="KimchiException">Those of <see cref="Remove"/> and <see cref="Create"/>; the create's message says whether the old network was restored.</exception>
    internal KimchiNetworkInfo Replace(RemovePlan remove, CreatePlan create, bool start)
    {
        ArgumentNullException.ThrowIfNull(remove);
        ArgumentNullException.ThrowIfNull(create);
        var autostart = Find(remove.Name).Autostart;
        Remove(remove);
        try
        {
            return Create(create, start);
        }
        catch (KimchiException e)
        {
            var outcome = RestoreReplaced(remove, autostart);
            throw new KimchiException(e.Code, e.Kind, $"{e.Message} Network '{DisplayText.Printable(remove.Name)}' had been removed to be replaced; {outcome}", e.Target, e);
        }
    }

    private string RestoreReplaced(RemovePlan remove, bool autostart)
    {
        if (!remove.IsPersistent || remove.HostChanges is not null)
        {
            return $"it cannot be restored as it was (it was {(remove.IsPersistent ? "built on host devices KimchiNet made" : "transient")}); its definition was: {remove.Xml}";
        }

        try
        {
            _connection.DefineNetwork(remove.Xml);
            _connection.SetAutostart(remove.Name, autostart);
            if (remove.IsActive)
            {
                _connection.StartNetwork(remove.Name);
            }

            return "the old network was restored.";
        }
        catch (KimchiException e)
        {
            return $"restoring the old network failed too ({e.Message}); its definition was: {remove.Xml}";
        }
    }
}

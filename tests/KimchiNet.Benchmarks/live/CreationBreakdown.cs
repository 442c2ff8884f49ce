// Compiled by Measure-NetworkScaling.ps1 with Add-Type against the KimchiNet.Core it loaded, so the
// phases of New-KimchiNetwork's planning are timed without PowerShell's overhead.
using System.Diagnostics;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Xml;

namespace KimchiNet.Benchmarks.Live
{
    /// <summary>Seconds of each step New-KimchiNetwork takes before it defines the network.</summary>
    public sealed class CreationPhases
    {
        /// <summary>LibvirtConnection.ListNetworks: every network's XML and state (libvirt round trips).</summary>
        public double ListNetworks { get; set; }

        /// <summary>NetworkXmlReader.Read + NetworkDescriptions.FromXml of every network (HostFacts.Read does this).</summary>
        public double DescribeNetworks { get; set; }

        /// <summary>HostInterfaces.List: the host's interfaces (sysfs, libvirt).</summary>
        public double ListInterfaces { get; set; }

        /// <summary>NetworkOperations.PlanCreate of an isolated network with an automatic subnet: all of the above plus the checks and the XML.</summary>
        public double PlanCreate { get; set; }

        /// <summary>Networks on the host.</summary>
        public int NetworkCount { get; set; }
    }

    /// <summary>Times the planning of one creation, step by step.</summary>
    public static class CreationBreakdown
    {
        /// <summary>One measurement on <paramref name="uri"/> (the pooled connection of the loaded module).</summary>
        public static CreationPhases Measure(string uri, string name)
        {
            var connection = LibvirtConnections.Get(uri);
            var phases = new CreationPhases();
            var sw = Stopwatch.StartNew();
            var networks = connection.ListNetworks();
            phases.ListNetworks = sw.Elapsed.TotalSeconds;

            sw.Restart();
            foreach (var network in networks)
            {
                NetworkDescriptions.FromXml(NetworkXmlReader.Read(network.Xml));
            }

            phases.DescribeNetworks = sw.Elapsed.TotalSeconds;

            sw.Restart();
            HostInterfaces.List(connection);
            phases.ListInterfaces = sw.Elapsed.TotalSeconds;

            sw.Restart();
            new NetworkOperations(connection).PlanCreate(new NetworkSpec { Name = name, Connection = ConnectionType.Isolated });
            phases.PlanCreate = sw.Elapsed.TotalSeconds;
            phases.NetworkCount = networks.Count;
            return phases;
        }
    }
}

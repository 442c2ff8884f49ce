// Compiled by Measure-NetworkListing.ps1 with Add-Type against the KimchiNet.Core it loaded, so the
// phases of Get-KimchiNetwork are timed without PowerShell's loop overhead.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using KimchiNet.Libvirt;
using KimchiNet.Operations;
using KimchiNet.Xml;

namespace KimchiNet.Benchmarks.Live
{
    /// <summary>Seconds of each phase of one listing, run phase by phase on an open connection.</summary>
    public sealed class ListingPhases
    {
        public double ListNetworks { get; set; }
        public double ListDomains { get; set; }
        public double Usage { get; set; }
        public double ParseNetworks { get; set; }
        public double CoreGet { get; set; }
        public int NetworkCount { get; set; }
        public int DomainCount { get; set; }
        public int TracedCalls { get; set; }
    }

    public static class ListingBreakdown
    {
        /// <summary>
        /// ListNetworks (virConnectListAllNetworks + per network: XML, active, persistent, autostart,
        /// bridge name), ListDomains (virConnectListAllDomains + per domain: XML, active),
        /// NetworkUsage.Compute (the join, parses every network and domain XML), the network XML
        /// reading that turns each record into a KimchiNetworkInfo, and NetworkOperations.Get as a
        /// whole (all of the above in one go, sorted).
        /// </summary>
        public static ListingPhases Measure(string uri)
        {
            var connection = LibvirtConnections.Get(uri);
            var phases = new ListingPhases();
            var sw = Stopwatch.StartNew();
            var networks = connection.ListNetworks();
            phases.ListNetworks = sw.Elapsed.TotalSeconds;

            sw.Restart();
            var domains = connection.ListDomains();
            phases.ListDomains = sw.Elapsed.TotalSeconds;

            sw.Restart();
            var usage = NetworkUsage.Compute(networks, domains);
            phases.Usage = sw.Elapsed.TotalSeconds;

            sw.Restart();
            foreach (var network in networks)
            {
                NetworkDescriptions.FromXml(NetworkXmlReader.Read(network.Xml));
            }

            phases.ParseNetworks = sw.Elapsed.TotalSeconds;

            var traced = 0;
            sw.Restart();
            using (LibvirtConnection.BeginLogScope(_ => traced++))
            {
                new NetworkOperations(connection).Get();
            }

            phases.CoreGet = sw.Elapsed.TotalSeconds;
            phases.NetworkCount = networks.Count;
            phases.DomainCount = domains.Count;
            phases.TracedCalls = traced;
            GC.KeepAlive(usage);
            return phases;
        }
    }
}

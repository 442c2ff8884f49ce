@{
    RootModule           = 'bin/KimchiNet.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '4f0f5d2e-6a43-4c1b-9a7e-2b8f51c3d6a9'
    Author               = 'KimchiNet contributors'
    CompanyName          = 'KimchiNet'
    Copyright            = '(c) KimchiNet contributors. Apache License 2.0.'
    Description          = 'Manage libvirt virtual networks from PowerShell: Kimchi''s networks API (isolated, nat, macvtap, bridge, vepa, passthrough) as binary cmdlets with typed output.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # Loaded up front so that KimchiNet's types resolve as soon as the module is imported: in a
    # script ([KimchiNet.Model.ConnectionType]) and in the class of the KimchiNetDsc module, which
    # requires this one. The DSC resource is not a nested module: every import would compile it.
    RequiredAssemblies   = @('bin/KimchiNet.Core.dll', 'bin/KimchiNet.dll')
    FormatsToProcess     = @('bin/KimchiNet.Format.ps1xml')
    CmdletsToExport      = @(
        'Add-KimchiDhcpReservation'
        'Connect-KimchiHost'
        'ConvertTo-KimchiNetworkXml'
        'Disconnect-KimchiHost'
        'Get-KimchiDhcpLease'
        'Get-KimchiDhcpReservation'
        'Get-KimchiInterface'
        'Get-KimchiNetwork'
        'Invoke-KimchiConfiguration'
        'New-KimchiNetwork'
        'Remove-KimchiDhcpReservation'
        'Remove-KimchiNetwork'
        'Set-KimchiNetwork'
        'Start-KimchiNetwork'
        'Stop-KimchiNetwork'
        'Test-KimchiConfiguration'
        'Test-KimchiNetwork'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('libvirt', 'KVM', 'Kimchi', 'network', 'VEPA', 'macvtap', 'virtualization', 'Linux', 'PSEdition_Core')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'First release: Kimchi''s networks and interfaces API on any libvirt URI (create, update, start, stop, remove, list, with the VMs using each network), offline XML conversion and a demo host. The KimchiNetwork DSC resource ships as the companion module KimchiNetDsc.'
        }
    }
}

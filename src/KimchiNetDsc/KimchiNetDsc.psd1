@{
    RootModule           = 'KimchiNetDsc.psm1'
    # Kept equal to KimchiNet's (build.ps1 Pack refuses to pack two different versions).
    ModuleVersion        = '0.1.0'
    GUID                 = '1f49c407-d53e-49cf-9d46-ef2bf24644eb'
    Author               = 'KimchiNet contributors'
    CompanyName          = 'KimchiNet'
    Copyright            = '(c) KimchiNet contributors. Apache License 2.0.'
    Description          = 'The KimchiNetwork DSC resource: a libvirt virtual network (isolated, nat, macvtap, bridge, vepa, passthrough) in a desired state, with Get, Test and Set over KimchiNet.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # KimchiNet loads its assemblies before this module's class is parsed (the class names their types).
    RequiredModules      = @(@{ ModuleName = 'KimchiNet'; GUID = '4f0f5d2e-6a43-4c1b-9a7e-2b8f51c3d6a9'; ModuleVersion = '0.1.0' })
    CmdletsToExport      = @()
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    DscResourcesToExport = @('KimchiNetwork')
    PrivateData          = @{
        PSData = @{
            Tags         = @('DSC', 'DesiredStateConfiguration', 'DSCResourceKit', 'libvirt', 'KVM', 'Kimchi', 'network', 'Linux', 'PSEdition_Core')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'First release: the KimchiNetwork resource (Ensure, Connection, Interfaces, Subnet, VlanId, State, Autostart, Uri), split out of KimchiNet so that importing KimchiNet compiles no class.'
        }
    }
}

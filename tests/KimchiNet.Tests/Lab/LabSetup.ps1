<#
    Dot-sourced first in the BeforeAll of every lab test file in this folder: imports the module under
    test, the lab hosts' front end (tests/lab/KimchiLab.psm1) and the shared test helpers
    (../TestHelpers.psm1: Start-KimchiTestLab, Stop-KimchiTestLab...) into the test file's scope.
#>
Import-Module (Join-Path $PSScriptRoot '../../../KimchiNet.psd1') -Force
Import-Module (Join-Path $PSScriptRoot '../../lab/KimchiLab.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force

#Requires -Version 7.2
<#
    Finds the external programs that source files start, so that a test can hold them against
    tests/tools/Dependencies.psd1 (what Bootstrap installs and checks).

    C#          ProcessStartInfo("x"), HostProgram("x", ...), ExternalPrograms.Find("x"), and the
                test labs' Run("x", ...) / Start("x", ...)
    PowerShell  every native command (the AST's commands that are not PowerShell's or the
                project's own), -FilePath 'x', [ProcessStartInfo]::new('x')
    shell       the word in command position of every simple command (heredoc bodies and
                comments left out), through exec/command/env/timeout
    all         "ip netns exec NS x": the program run inside the namespace
#>
Set-StrictMode -Version Latest

$script:ShellWords = @(
    # keywords and builtins of bash
    'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in',
    'function', 'select', 'time', 'local', 'readonly', 'export', 'declare', 'typeset', 'return', 'exit',
    'echo', 'printf', 'read', 'cd', 'pwd', 'test', '[', '[[', 'true', 'false', 'set', 'unset', 'shift',
    'trap', 'wait', 'kill', 'source', '.', 'eval', 'exec', 'command', 'builtin', 'type', 'hash',
    'break', 'continue', 'let', 'getopts', 'umask', 'ulimit', 'mapfile', 'readarray', 'shopt', 'printf',
    'pushd', 'popd', 'dirs', 'jobs', 'disown', 'suspend', 'caller', 'compgen', 'complete', 'alias'
)
# Wrappers whose first operand is the program they run (options skipped).
$script:Wrappers = @('exec', 'command', 'env', 'nice', 'nohup', 'setsid', 'timeout', 'stdbuf')

function Get-NetnsExecProgram {
    # "ip netns exec NS PROGRAM" in any language: the quoted or bare words after exec and one operand.
    # The operand is atomic: a variable ($ns) never gives up its last letters to stand for the program.
    param([string] $Text)
    $q = '[''"]?'
    $operand = '(?>"[^",\n]*"|''[^'',\n]*''|\$\w+|[\w.-]+)'
    $pattern = "${q}netns$q\s*,?\s*${q}exec$q\s*,?\s*$operand\s*,?\s*$q([a-z][a-z0-9_.+-]*)(?=[""'',\s])"
    foreach ($m in [regex]::Matches($Text, $pattern)) { $m.Groups[1].Value }
}

function Get-CSharpProgram {
    param([string] $Text)
    $patterns = @(
        'new\s+ProcessStartInfo\s*\(\s*"([^"]+)"',
        'HostProgram\s*\(\s*"([^"]+)"',
        'ExternalPrograms\.Find\s*\(\s*"([^"]+)"',
        '\b(?:Run|Start)\s*\(\s*"([a-z][a-z0-9_.+-]*)"\s*,'
    )
    foreach ($p in $patterns) {
        # A program started by absolute path (/usr/bin/setpriv) is still that program.
        foreach ($m in [regex]::Matches($Text, $p)) { $m.Groups[1].Value -replace '^/(?:usr/)?s?bin/', '' }
    }
    Get-NetnsExecProgram $Text
}

function Get-PowerShellProgram {
    param([string] $Path, [string[]] $ProjectFunction)
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
    $verbs = (Get-Verb).Verb
    foreach ($command in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $first = $command.CommandElements[0]
        if ($first -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
            $name = $first.Value
            # Linux programs are named in lower case; Verb-Noun and capitalised names are PowerShell's (Pester's Describe, It, Should...).
            $isPowerShell = $name -cmatch '^[A-Z]' -or ($name -match '^[A-Za-z]+-[A-Za-z]' -and $verbs -contains ($name -split '-')[0])
            if (-not $isPowerShell -and $ProjectFunction -notcontains $name -and $name -match '^[A-Za-z0-9][A-Za-z0-9_.+-]*$' -and
                -not (Get-Command -Name $name -CommandType Alias, Cmdlet, Function, Filter -ErrorAction Ignore)) {
                $name
            }
        }
        # -FilePath 'x' on the lab helpers (and Start-Process).
        for ($i = 1; $i -lt $command.CommandElements.Count - 1; $i++) {
            $element = $command.CommandElements[$i]
            $next = $command.CommandElements[$i + 1]
            if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and $element.ParameterName -eq 'FilePath' -and
                $next -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $next.Value -notmatch '[/\\$]') {
                $next.Value
            }
        }
    }
    foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.InvokeMemberExpressionAst] }, $true)) {
        if ($call.Expression -is [System.Management.Automation.Language.TypeExpressionAst] -and $call.Expression.TypeName.Name -match 'ProcessStartInfo$' -and
            $call.Arguments -and $call.Arguments[0] -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
            $call.Arguments[0].Value
        }
    }
    Get-NetnsExecProgram (Get-Content -LiteralPath $Path -Raw)
}

function Get-ShellProgram {
    param([string] $Path)
    $lines = Get-Content -LiteralPath $Path
    $functions = @($lines | ForEach-Object { if ($_ -match '^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)') { $Matches[1] } })
    $heredocEnd = $null
    $body = foreach ($line in $lines) {
        if ($heredocEnd) {
            if ($line.Trim() -eq $heredocEnd) { $heredocEnd = $null }
            continue
        }
        if ($line -match '<<-?\s*[''"]?([A-Za-z_]+)[''"]?') { $heredocEnd = $Matches[1] }
        if ($line -match '^\s*#') { continue }
        $line -replace '\s#.*$', ''
    }
    $text = $body -join "`n"
    # Quoted text is no command, but a command substitution inside double quotes is: keep those
    # as lines of their own at the end. Arithmetic (( )) holds no command either.
    $text = $text -replace "'[^']*'", "''"
    $substitutions = [System.Collections.Generic.List[string]]::new()
    $text = [regex]::Replace($text, '"(?:[^"\\]|\\.)*"', {
            param($m)
            foreach ($sub in [regex]::Matches($m.Value, '\$\(((?:[^()]|\([^()]*\))*)\)')) { $substitutions.Add($sub.Groups[1].Value) }
            'STR'
        })
    $text = ($text + "`n" + ($substitutions -join "`n")) -replace '\$?\(\((?>[^()]+|\((?<d>)|\)(?<-d>))*(?(d)(?!))\)\)', ''
    # Segments that start a simple command.
    foreach ($segment in ($text -split '\|\||&&|[;|`\n]|\$\(|\(\(|\(|\{|\}|\bthen\b|\bdo\b|\belse\b')) {
        $words = @($segment.Trim() -split '\s+' | Where-Object { $_ })
        $i = 0
        while ($i -lt $words.Count) {
            $word = $words[$i]
            if ($word -match '^[A-Za-z_][A-Za-z0-9_]*=' -or $word -eq '!' -or $word -in 'if', 'while', 'until', 'elif', 'time') { $i++; continue }
            if ($word -in $script:Wrappers) {
                $i++
                while ($i -lt $words.Count -and ($words[$i] -like '-*' -or $words[$i] -match '^\d+[smhd]?$' -or $words[$i] -match '^[A-Za-z_][A-Za-z0-9_]*=')) { $i++ }
                continue
            }
            break
        }
        if ($i -ge $words.Count) { continue }
        $name = $words[$i] -replace '^["'']|["'']$', ''
        if ($name -cmatch '^/?(?:usr/)?(?:s?bin/)?([a-z][a-z0-9_.+-]*)$') { $name = $Matches[1] } else { continue }
        if ($name -in $script:ShellWords -or $name -in $functions) { continue }
        $name
    }
    Get-NetnsExecProgram $text
}

function Find-KimchiExternalProgram {
    <#
    .SYNOPSIS
        Every external program that the files under the given folders start: objects with Program and File.
    #>
    param([Parameter(Mandatory)] [string[]] $Path)
    $files = @(Get-ChildItem -LiteralPath $Path -Recurse -File | Where-Object {
            $_.FullName -notmatch '[\\/](bin|obj|out)[\\/]' -and $_.FullName -notmatch '[\\/]tools[\\/]ExternalPrograms\.psm1$'
        })
    $projectFunctions = @(foreach ($file in $files | Where-Object Extension -In '.ps1', '.psm1') {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref] $null, [ref] $null)
            $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object Name
        })
    foreach ($file in $files) {
        $found = switch -Regex ($file.Extension) {
            '^\.cs$' { Get-CSharpProgram (Get-Content -LiteralPath $file.FullName -Raw) }
            '^\.ps(m?1)$' { Get-PowerShellProgram $file.FullName $projectFunctions }
            '^$|^\.sh$' {
                $firstLine = Get-Content -LiteralPath $file.FullName -TotalCount 1 -ErrorAction Ignore
                if ($firstLine -match '^#!.*\b(ba)?sh\b') { Get-ShellProgram $file.FullName }
            }
        }
        foreach ($program in $found | Sort-Object -Unique) {
            [pscustomobject]@{ Program = $program; File = $file.FullName }
        }
    }
}

Export-ModuleMember -Function Find-KimchiExternalProgram

using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace KimchiNet.Commands;

/// <summary>
/// What every KimchiNet cmdlet shares, and nothing more: turning the core's errors into
/// ErrorRecords. This is the only place that makes ErrorRecords, so every error a user sees has
/// Kimchi's code as its ErrorId and a category that fits its kind.
/// </summary>
public abstract class KimchiCmdlet : PSCmdlet
{
    /// <summary>
    /// PowerShell's WriteObject, callable from a host's thread during a fan-out: the object is written
    /// on the pipeline thread (<see cref="HostFanOut"/>). The Write methods below do the same; they
    /// hide PowerShell's own so that a cmdlet's code is the same for one host and for many.
    /// </summary>
    protected new void WriteObject(object? sendToPipeline) => OnPipeline(() => base.WriteObject(sendToPipeline));

    /// <inheritdoc cref="WriteObject(object?)"/>
    protected new void WriteObject(object? sendToPipeline, bool enumerateCollection) => OnPipeline(() => base.WriteObject(sendToPipeline, enumerateCollection));

    /// <inheritdoc cref="WriteObject(object?)"/>
    protected new void WriteError(ErrorRecord errorRecord) => OnPipeline(() => base.WriteError(errorRecord));

    /// <inheritdoc cref="WriteObject(object?)"/>
    protected new void WriteWarning(string text) => OnPipeline(() => base.WriteWarning(text));

    /// <inheritdoc cref="WriteObject(object?)"/>
    protected new void WriteVerbose(string text) => OnPipeline(() => base.WriteVerbose(text));

    private static void OnPipeline(Action action) => HostFanOut.Post(action);

    /// <summary>The PowerShell category for each kind of core failure.</summary>
    internal static ErrorCategory ToCategory(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
        ErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        ErrorKind.Conflict => ErrorCategory.ResourceBusy,
        ErrorKind.InvalidState => ErrorCategory.InvalidOperation,
        ErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.NotSupported => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Makes the ErrorRecord for a core failure: ErrorId is the Kimchi code, the target is the offending value.</summary>
    internal static ErrorRecord ToErrorRecord(KimchiException exception) =>
        new(exception, exception.Code, ToCategory(exception.Kind), exception.Target);

    /// <summary>Writes one non-terminating error per broken rule; returns true when there were none.</summary>
    protected bool WriteValidationErrors(IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in errors)
        {
            WriteError(ToErrorRecord(error.ToException()));
        }

        return errors.Count == 0;
    }

    /// <summary>
    /// ShouldProcess for one change, or KCHNET0109E when it would have to ask and no user can answer
    /// (a host without a terminal whose input is at end of file: PowerShell's prompt then fails with
    /// a .NET exception, NullReferenceException among them). -WhatIf, -Confirm and $ConfirmPreference
    /// work as PowerShell defines them; -Force asks nothing of its own. Bidi and control characters in
    /// the texts (a hostile network or VM name, a URI) are shown as escapes (<see cref="DisplayText.Line"/>),
    /// as in error messages.
    /// </summary>
    protected bool ShouldChange(string target, string action)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(action);
        target = DisplayText.Line(target);
        action = DisplayText.Line(action, keepLineBreaks: true);
        return HostFanOut.Invoke(() => ShouldChangeHere(target, action));
    }

    private bool ShouldChangeHere(string target, string action)
    {
        try
        {
            return ShouldProcess(target, action);
        }
        catch (Exception e) when (e is NullReferenceException or PSInvalidOperationException or System.Management.Automation.Host.HostException or System.IO.IOException)
        {
            throw new KimchiException(
                ErrorCodes.ConfirmationNeeded,
                ErrorKind.InvalidState,
                $"Confirmation is needed for '{action.Split('\n')[0]}' on {target}, but this session cannot ask for it (no user can answer). Add -Confirm:$false to go ahead, or run it where a user can answer.",
                target,
                e);
        }
    }

    /// <summary>
    /// Runs one core operation for the current pipeline object. A core failure becomes a
    /// non-terminating error, so the rest of the pipeline input is still processed.
    /// </summary>
    protected void Run(Action operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            operation();
        }
        catch (KimchiException exception)
        {
            WriteError(ToErrorRecord(exception));
        }
    }
}

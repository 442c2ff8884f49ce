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

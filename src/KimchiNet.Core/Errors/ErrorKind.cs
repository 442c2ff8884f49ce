namespace KimchiNet;

/// <summary>What kind of failure an error is; the cmdlet layer maps each kind to one PowerShell ErrorCategory.</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed or breaks a rule (InvalidArgument).</summary>
    InvalidInput,

    /// <summary>What was named does not exist (ObjectNotFound).</summary>
    NotFound,

    /// <summary>What would be created exists already (ResourceExists).</summary>
    AlreadyExists,

    /// <summary>The request clashes with the host's state: in use, active, overlapping (ResourceBusy / InvalidOperation).</summary>
    Conflict,

    /// <summary>The object is in a state that forbids the operation (InvalidOperation).</summary>
    InvalidState,

    /// <summary>libvirt or the host cannot be reached (ResourceUnavailable).</summary>
    Unavailable,

    /// <summary>libvirt refused for lack of rights (PermissionDenied).</summary>
    PermissionDenied,

    /// <summary>The operation is not possible on this host or URI (NotImplemented).</summary>
    NotSupported,

    /// <summary>libvirt or the host failed while doing what was asked (NotSpecified).</summary>
    OperationFailed,
}

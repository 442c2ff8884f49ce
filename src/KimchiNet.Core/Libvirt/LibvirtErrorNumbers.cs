namespace KimchiNet.Libvirt;

/// <summary>The libvirt error numbers (virErrorNumber in virterror.h) that KimchiNet maps to its own codes.</summary>
public static class LibvirtErrorNumbers
{
    /// <summary>VIR_ERR_INTERNAL_ERROR.</summary>
    public const int InternalError = 1;

    /// <summary>VIR_ERR_NO_SUPPORT.</summary>
    public const int NoSupport = 3;

    /// <summary>VIR_ERR_NO_CONNECT: cannot connect to the hypervisor.</summary>
    public const int NoConnect = 5;

    /// <summary>VIR_ERR_INVALID_CONN.</summary>
    public const int InvalidConnection = 6;

    /// <summary>VIR_ERR_INVALID_ARG (also: flags a driver does not support).</summary>
    public const int InvalidArgument = 8;

    /// <summary>VIR_ERR_OPERATION_FAILED.</summary>
    public const int OperationFailed = 9;

    /// <summary>VIR_ERR_XML_ERROR.</summary>
    public const int XmlError = 27;

    /// <summary>VIR_ERR_XML_DETAIL.</summary>
    public const int XmlDetail = 35;

    /// <summary>VIR_ERR_NETWORK_EXIST.</summary>
    public const int NetworkExists = 37;

    /// <summary>VIR_ERR_SYSTEM_ERROR.</summary>
    public const int SystemError = 38;

    /// <summary>VIR_ERR_RPC.</summary>
    public const int Rpc = 39;

    /// <summary>VIR_ERR_NO_DOMAIN.</summary>
    public const int NoDomain = 42;

    /// <summary>VIR_ERR_NO_NETWORK.</summary>
    public const int NoNetwork = 43;

    /// <summary>VIR_ERR_AUTH_FAILED.</summary>
    public const int AuthFailed = 45;

    /// <summary>VIR_ERR_OPERATION_INVALID (e.g. starting a running network).</summary>
    public const int OperationInvalid = 55;

    /// <summary>VIR_ERR_NO_INTERFACE (e.g. a bridge deleted after the interface list was taken).</summary>
    public const int NoInterface = 57;

    /// <summary>VIR_ERR_AUTH_CANCELLED.</summary>
    public const int AuthCancelled = 79;

    /// <summary>VIR_ERR_ACCESS_DENIED.</summary>
    public const int AccessDenied = 88;

    /// <summary>VIR_ERR_AUTH_UNAVAILABLE.</summary>
    public const int AuthUnavailable = 94;
}

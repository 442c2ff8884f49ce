namespace KimchiNet.Transactions;

/// <summary>An undo step that failed during <see cref="Transaction.RollBack"/>, with the error it failed with.</summary>
internal sealed record UndoFailure(UndoStep Step, KimchiException Error)
{
    /// <summary>The step's description and the error's message, as a report of a partial rollback lists them.</summary>
    public string Summary => $"{Step.Description}: {Error.Message}";
}

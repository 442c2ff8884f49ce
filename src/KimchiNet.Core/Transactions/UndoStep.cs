using System;

namespace KimchiNet.Transactions;

/// <summary>
/// One change that was made, held as the way to take it back: <see cref="Description"/> names it
/// in a report of its undo failing (the report adds the error's message after a colon), and
/// <see cref="Undo"/> takes the change back.
/// </summary>
internal sealed record UndoStep(string Description, Action Undo);

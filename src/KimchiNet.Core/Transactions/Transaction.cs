using System;
using System.Collections.Generic;

namespace KimchiNet.Transactions;

/// <summary>
/// The undo stack of a change made in several acts: after each act that succeeded, the way to take
/// it back is pushed; when a later act fails, <see cref="RollBack"/> undoes the acts in reverse
/// order, and <see cref="Commit"/> forgets them once the whole change is made.
/// </summary>
/// <remarks>
/// A rollback never throws a <see cref="KimchiException"/> from an undo: it reports the undos that
/// failed as data, so the caller throws the error that made it roll back, with or without a note of
/// what could not be undone. Any other exception from an undo is a defect and propagates.
/// The type acts on nothing itself: it uses only the core's errors, so every layer can use it.
/// </remarks>
internal sealed class Transaction
{
    private readonly Stack<UndoStep> _steps = new();

    /// <summary>How many acts would be undone by a rollback now.</summary>
    public int Count => _steps.Count;

    /// <summary>Records that an act succeeded: <paramref name="step"/> undoes it on rollback.</summary>
    public void Push(UndoStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Push(step);
    }

    /// <summary>Records that an act succeeded: <paramref name="undo"/> undoes it on rollback.</summary>
    public void Push(string description, Action undo) => Push(new UndoStep(description, undo));

    /// <summary>Runs <paramref name="act"/> and, once it succeeded, pushes <paramref name="undo"/>; an act that throws pushes nothing.</summary>
    public void Do(Action act, UndoStep undo)
    {
        ArgumentNullException.ThrowIfNull(act);
        ArgumentNullException.ThrowIfNull(undo);
        act();
        _steps.Push(undo);
    }

    /// <summary>The change is complete: forgets every step, so a later rollback undoes nothing.</summary>
    public void Commit() => _steps.Clear();

    /// <summary>
    /// Undoes every act pushed so far, the last first, and returns the undos that failed with a
    /// <see cref="KimchiException"/> (empty when all succeeded). The other undos still run, unless
    /// <paramref name="stopAtFirstFailure"/>: for acts whose undos depend on each other, the first
    /// failure ends the rollback and the steps below it are dropped. Afterwards the stack is empty.
    /// </summary>
    public IReadOnlyList<UndoFailure> RollBack(bool stopAtFirstFailure = false)
    {
        var failures = new List<UndoFailure>();
        while (_steps.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (KimchiException e)
            {
                failures.Add(new UndoFailure(step, e));
                if (stopAtFirstFailure)
                {
                    _steps.Clear();
                }
            }
        }

        return failures;
    }
}

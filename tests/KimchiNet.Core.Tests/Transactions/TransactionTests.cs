using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Transactions;

namespace KimchiNet.Tests.Transactions;

public sealed class TransactionTests
{
    [Fact]
    public void RollBack_WithThreeSteps_ShouldUndoTheLastFirst()
    {
        var undone = new List<string>();
        var transaction = new Transaction();
        transaction.Push("a", () => undone.Add("a"));
        transaction.Push("b", () => undone.Add("b"));
        transaction.Push("c", () => undone.Add("c"));

        var failures = transaction.RollBack();

        Assert.Empty(failures);
        Assert.Equal(["c", "b", "a"], undone);
        Assert.Equal(0, transaction.Count);
    }

    [Fact]
    public void RollBack_WithFailingUndos_ShouldRunTheOthersAndReportEachFailureInUndoOrder()
    {
        var undone = new List<string>();
        var transaction = new Transaction();
        transaction.Push("first", () => throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, "boom 1"));
        transaction.Push("second", () => undone.Add("second"));
        transaction.Push("third", () => throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, "boom 3"));

        var failures = transaction.RollBack();

        Assert.Equal(["second"], undone);
        Assert.Equal(["third: boom 3", "first: boom 1"], failures.Select(f => f.Summary));
        Assert.Equal(["third", "first"], failures.Select(f => f.Step.Description));
        Assert.Equal(ErrorCodes.BridgeCreateFailed, failures[0].Error.Code);
    }

    [Fact]
    public void RollBack_StoppingAtFirstFailure_ShouldNotRunTheStepsBelowIt()
    {
        var undone = new List<string>();
        var transaction = new Transaction();
        transaction.Push("restore", () => undone.Add("restore"));
        transaction.Push("undefine", () => throw new KimchiException(ErrorCodes.UpdateFailed, ErrorKind.OperationFailed, "refused"));

        var failure = Assert.Single(transaction.RollBack(stopAtFirstFailure: true));

        Assert.Equal("undefine: refused", failure.Summary);
        Assert.Empty(undone);
        Assert.Equal(0, transaction.Count);
    }

    [Fact]
    public void Commit_BeforeRollBack_ShouldUndoNothing()
    {
        var undone = new List<string>();
        var transaction = new Transaction();
        transaction.Push("a", () => undone.Add("a"));
        transaction.Push("b", () => undone.Add("b"));

        transaction.Commit();
        var failures = transaction.RollBack();

        Assert.Empty(failures);
        Assert.Empty(undone);
        Assert.Equal(0, transaction.Count);
    }

    [Fact]
    public void RollBack_WithAFailingUndo_ShouldLeaveTheOriginalErrorToTheCaller()
    {
        var original = new InvalidOperationException("the act failed");
        var transaction = new Transaction();
        transaction.Push("undo", () => throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, "undo failed"));
        IReadOnlyList<UndoFailure> failures = [];

        // The callers' pattern: act, and on failure roll back, then rethrow what failed.
        void ActThenRollBack()
        {
            try
            {
                throw original;
            }
            catch (InvalidOperationException)
            {
                failures = transaction.RollBack();
                throw;
            }
        }

        var thrown = Assert.Throws<InvalidOperationException>(ActThenRollBack);

        Assert.Same(original, thrown);
        Assert.Equal("undo: undo failed", Assert.Single(failures).Summary);
    }

    [Fact]
    public void RollBack_WithAnUndoFailingWithoutAKimchiError_ShouldLetThatDefectPropagate()
    {
        var transaction = new Transaction();
        transaction.Push("undo", () => throw new ArgumentException("a defect"));

        Assert.Throws<ArgumentException>(() => transaction.RollBack());
    }

    [Fact]
    public void Do_WhenTheActThrows_ShouldPushNoUndo()
    {
        var undone = new List<string>();
        var transaction = new Transaction();
        transaction.Do(() => { }, new UndoStep("made", () => undone.Add("made")));

        Assert.Throws<KimchiException>(() => transaction.Do(
            () => throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, "act failed"),
            new UndoStep("not made", () => undone.Add("not made"))));
        transaction.RollBack();

        Assert.Equal(["made"], undone);
    }
}

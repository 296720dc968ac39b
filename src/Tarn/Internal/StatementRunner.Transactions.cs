using Tarn.Sql.Ast;
using Tarn.Storage.Log;
using Tarn.Storage.Tables;

namespace Tarn.Internal;

/// <summary>
/// BEGIN / COMMIT / ROLLBACK (see <see cref="SessionTransaction"/>), and the helpers the write statements use so that
/// inside a transaction they read its pinned versions and stage their operations instead of committing them.
/// </summary>
internal static partial class StatementRunner
{
    /// <summary>
    /// Runs a statement in the session's transaction, if one is open: a statement after a failed one fails with 25P02,
    /// and a failing statement aborts the transaction (DuckDB and PostgreSQL), so that no half of a unit of work commits.
    /// </summary>
    private static async Task<TarnResult> ExecuteInTransactionAsync(TarnSession session, Statement statement, TarnParameters parameters, CancellationToken cancellation)
    {
        var transaction = session.Transaction;
        if (transaction is null || statement is TransactionStatement) return await ExecuteAsync(session, statement, parameters, cancellation).ConfigureAwait(false);
        if (transaction.IsAborted)
            throw new TarnException(SqlStates.InFailedSqlTransaction,
                $"current transaction is aborted, statements are ignored until ROLLBACK at {statement.Position}", statement.Position);
        try
        {
            return await ExecuteAsync(session, statement, parameters, cancellation).ConfigureAwait(false);
        }
        catch
        {
            transaction.MarkAborted();
            throw;
        }
    }

    private static async Task<TarnResult> RunTransactionAsync(TarnSession session, TransactionStatement statement, CancellationToken cancellation)
    {
        switch (statement.Action)
        {
            case TransactionAction.Begin:
                if (!session.TryBeginTransaction())
                    throw new TarnException(SqlStates.ActiveSqlTransaction, $"there is already a transaction in progress at {statement.Position}", statement.Position);
                return TarnResult.Ok(StatementKind.Other, "BEGIN");
            case TransactionAction.Commit:
            {
                var transaction = session.EndTransaction()
                    ?? throw new TarnException(SqlStates.NoActiveSqlTransaction, $"cannot commit: no transaction is active at {statement.Position}", statement.Position);
                if (transaction.IsAborted)
                {
                    transaction.Rollback();
                    throw new TarnException(SqlStates.InFailedSqlTransaction,
                        $"cannot commit: the transaction was aborted by an earlier error and has been rolled back at {statement.Position}", statement.Position);
                }
                await transaction.CommitAsync(cancellation).ConfigureAwait(false);
                return TarnResult.Ok(StatementKind.Other, "COMMIT");
            }
            default:
            {
                var transaction = session.EndTransaction()
                    ?? throw new TarnException(SqlStates.NoActiveSqlTransaction, $"cannot rollback: no transaction is active at {statement.Position}", statement.Position);
                transaction.Rollback();
                return TarnResult.Ok(StatementKind.Other, "ROLLBACK");
            }
        }
    }

    /// <summary>The version of the table a write statement reads: the transaction's pinned one, else the newest committed.</summary>
    private static TableVersion ReadVersion(TarnSession session, long tableId) =>
        session.Transaction?.Find(tableId) ?? session.Core.Storage.GetTable(tableId)
        ?? throw new TarnException(SqlStates.UndefinedTable, "the table was dropped");

    /// <summary>
    /// Commits appends built from <paramref name="read"/>, or inside a transaction stages them; if that fails the
    /// builder's files are deleted.
    /// </summary>
    private static async Task CommitAppendAsync(TarnSession session, TableVersion read, IReadOnlyList<LogOp> ops, AppendBuilder builder,
        Func<Tarn.Storage.Engine.StorageState, string?>? precondition)
    {
        try
        {
            if (session.Transaction is { } transaction) transaction.StageAppend(read, ops, builder);
            else await session.Core.Storage.CommitAsync(ops, precondition).ConfigureAwait(false);
        }
        catch
        {
            builder.Abandon();
            throw;
        }
    }

    /// <summary>
    /// Replaces every row of the table (as <paramref name="read"/>) by <paramref name="appendOps"/>: committed now, or
    /// inside a transaction staged; if that fails the builder's files are deleted.
    /// </summary>
    private static async Task ReplaceRowsAsync(TarnSession session, TableVersion read, IReadOnlyList<LogOp> appendOps, AppendBuilder? builder, CancellationToken cancellation)
    {
        try
        {
            if (session.Transaction is { } transaction) transaction.StageReplacement(read, appendOps, builder);
            else await CommitReplacementAsync(session, read, appendOps, cancellation).ConfigureAwait(false);
        }
        catch
        {
            builder?.Abandon();
            throw;
        }
    }
}

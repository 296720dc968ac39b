namespace Tarn.Sql.Ast;

/// <summary>
/// Base of every syntax tree node. <see cref="Position"/> is the 1-based line and column of the node's first
/// token. Equality deliberately ignores positions: two nodes spelled the same are the same node wherever they
/// appear, which is what the binder wants when it matches a GROUP BY expression against a select item, and
/// what tests want when they compare a parsed tree with an expected one.
/// </summary>
public abstract record Node(SourcePosition Position)
{
    public virtual bool Equals(Node? other) =>
        ReferenceEquals(this, other) || (other is not null && EqualityContract == other.EqualityContract);

    public override int GetHashCode() => EqualityContract.GetHashCode();

    /// <summary>The node as SQL text (see <see cref="Formatting.SqlFormatter"/>).</summary>
    public sealed override string ToString() => Formatting.SqlFormatter.Format(this);
}

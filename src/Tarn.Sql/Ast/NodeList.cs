using System.Collections;
using System.Runtime.CompilerServices;

namespace Tarn.Sql.Ast;

/// <summary>
/// An immutable list with value equality, so records holding lists (arguments, columns, rows) compare by
/// content. Build one with a collection expression: <c>NodeList&lt;Expression&gt; args = [a, b];</c>.
/// </summary>
[CollectionBuilder(typeof(NodeList), nameof(NodeList.Create))]
public sealed class NodeList<T> : IReadOnlyList<T>, IEquatable<NodeList<T>>
{
    public static readonly NodeList<T> Empty = new([]);

    private readonly T[] _items;

    internal NodeList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public bool IsEmpty => _items.Length == 0;

    public ReadOnlySpan<T> AsSpan() => _items;

    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(NodeList<T>? other)
    {
        if (ReferenceEquals(this, other))
            return true;
        if (other is null || other._items.Length != _items.Length)
            return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is NodeList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    public static bool operator ==(NodeList<T>? left, NodeList<T>? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(NodeList<T>? left, NodeList<T>? right) => !(left == right);

    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    /// <summary>Allocation-free foreach; a plain struct so it also works in iterators and async methods.</summary>
    public struct Enumerator
    {
        private readonly T[] _items;
        private int _index;

        internal Enumerator(T[] items)
        {
            _items = items;
            _index = -1;
        }

        public readonly T Current => _items[_index];

        public bool MoveNext() => ++_index < _items.Length;
    }
}

public static class NodeList
{
    public static NodeList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? NodeList<T>.Empty : new NodeList<T>(items.ToArray());

    /// <summary>Takes ownership of <paramref name="items"/>: the caller must not change the array afterwards.</summary>
    internal static NodeList<T> Wrap<T>(T[] items) => items.Length == 0 ? NodeList<T>.Empty : new NodeList<T>(items);
}

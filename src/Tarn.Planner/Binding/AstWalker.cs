using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>Generic traversal of syntax trees (used for analysis such as "does this expression hold an aggregate").</summary>
public static class AstWalker
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>Direct child nodes of <paramref name="node"/>, in declaration order.</summary>
    public static IEnumerable<Node> Children(Node node)
    {
        var props = Properties.GetOrAdd(node.GetType(), t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"
                        && (typeof(Node).IsAssignableFrom(p.PropertyType) || (typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && p.PropertyType != typeof(string))))
            .ToArray());
        foreach (var p in props)
        {
            var value = p.GetValue(node);
            if (value is Node n) yield return n;
            else if (value is IEnumerable list and not string)
                foreach (var item in list)
                    if (item is Node child) yield return child;
        }
    }

    /// <summary>True when <paramref name="predicate"/> holds for the node or a descendant; subqueries are not entered.</summary>
    public static bool Any(Node node, Func<Node, bool> predicate)
    {
        if (predicate(node)) return true;
        if (node is Query) return false;
        // An explicit stack, not recursion: left-deep chains (a OR b OR c ...) can be arbitrarily long.
        var pending = new Stack<Node>();
        Push(pending, node);
        while (pending.TryPop(out var next))
        {
            if (predicate(next)) return true;
            Push(pending, next);
        }
        return false;
    }

    private static void Push(Stack<Node> pending, Node node)
    {
        foreach (var c in Children(node))
        {
            if (c is not Query) pending.Push(c);
        }
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using Tarn.Sql.Ast;

namespace Tarn.Planner.Binding;

/// <summary>
/// Generic rewriting of syntax trees: <c>replace</c> is asked about each node, parents first; a node it
/// replaces is not entered, the others are copied only when some descendant changed (unchanged subtrees are shared).
/// Works on every node record through its settable node and node-list properties, as <see cref="AstWalker"/> reads them.
/// </summary>
public static class AstRewriter
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> s_properties = new();
    private static readonly MethodInfo s_clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo s_rewriteList = typeof(AstRewriter).GetMethod(nameof(RewriteList), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly ConcurrentDictionary<Type, MethodInfo> s_listRewriters = new();

    public static T Rewrite<T>(T node, Func<Node, Node?> replace) where T : Node => (T)RewriteNode(node, replace);

    private static Node RewriteNode(Node node, Func<Node, Node?> replace)
    {
        if (replace(node) is { } replaced) return replaced;
        Node? copy = null;
        foreach (var p in PropertiesOf(node.GetType()))
        {
            var value = p.GetValue(node);
            object? updated = value switch
            {
                Node child => RewriteNode(child, replace),
                null => null,
                // DoNotWrapExceptions: a TarnException from replace must reach the caller as itself.
                _ => ListRewriter(p.PropertyType).Invoke(null, BindingFlags.DoNotWrapExceptions, null, [value, replace], null),
            };
            if (ReferenceEquals(updated, value)) continue;
            copy ??= (Node)s_clone.Invoke(node, null)!;
            p.SetValue(copy, updated);
        }
        return copy ?? node;
    }

    private static PropertyInfo[] PropertiesOf(Type type) => s_properties.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && p.CanWrite
                    && (typeof(Node).IsAssignableFrom(p.PropertyType) || IsNodeList(p.PropertyType)))
        .ToArray());

    private static bool IsNodeList(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(NodeList<>) && typeof(Node).IsAssignableFrom(type.GetGenericArguments()[0]);

    private static MethodInfo ListRewriter(Type listType) =>
        s_listRewriters.GetOrAdd(listType, t => s_rewriteList.MakeGenericMethod(t.GetGenericArguments()[0]));

    private static NodeList<T> RewriteList<T>(NodeList<T> list, Func<Node, Node?> replace) where T : Node
    {
        T[]? copy = null;
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            var updated = (T)RewriteNode(item, replace);
            if (ReferenceEquals(updated, item)) continue;
            copy ??= [.. list];
            copy[i] = updated;
        }
        return copy is null ? list : NodeList.Create<T>(copy);
    }
}

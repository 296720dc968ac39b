using System.Globalization;
using System.Reflection;

namespace Tarn.Internal;

/// <summary>Maps result rows to objects: a constructor whose parameters match column names, else settable properties.</summary>
internal static class RowMapper<T>
{
    public static IReadOnlyList<T> Map(TarnResult result)
    {
        var list = new List<T>(result.RowCount);
        var type = typeof(T);
        if (type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || Nullable.GetUnderlyingType(type) is not null)
        {
            foreach (var row in result.Rows) list.Add((T)Convert(row[0], type)!);
            return list;
        }
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault(c => c.GetParameters().All(p => result.ColumnIndex(p.Name!) >= 0));
        if (ctor is not null && ctor.GetParameters().Length > 0)
        {
            var ps = ctor.GetParameters();
            var idx = ps.Select(p => result.ColumnIndex(p.Name!)).ToArray();
            foreach (var row in result.Rows)
            {
                var args = new object?[ps.Length];
                for (var i = 0; i < ps.Length; i++) args[i] = Convert(row[idx[i]], ps[i].ParameterType);
                list.Add((T)ctor.Invoke(args));
            }
            return list;
        }
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => (Prop: p, Index: result.ColumnIndex(p.Name))).Where(p => p.Index >= 0).ToArray();
        foreach (var row in result.Rows)
        {
            var obj = Activator.CreateInstance<T>();
            foreach (var (prop, index) in props) prop.SetValue(obj, Convert(row[index], prop.PropertyType));
            list.Add(obj);
        }
        return list;
    }

    private static object? Convert(object? value, Type target)
    {
        if (value is null) return null;
        var t = Nullable.GetUnderlyingType(target) ?? target;
        if (t.IsInstanceOfType(value)) return value;
        if (t == typeof(DateTime) && value is DateTimeOffset dto) return dto.UtcDateTime;
        if (t == typeof(DateTime) && value is DateOnly d) return d.ToDateTime(TimeOnly.MinValue);
        return System.Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
    }
}

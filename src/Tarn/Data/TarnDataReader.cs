using System.Collections;
using System.Data.Common;
using Tarn.Types;

namespace Tarn.Data;

/// <summary>An ADO.NET reader over one or more statement results (one result set per query statement).</summary>
public sealed class TarnDataReader : DbDataReader
{
    private readonly IReadOnlyList<TarnResult> _results;
    private int _resultIndex;
    private int _row = -1;
    private bool _closed;

    internal TarnDataReader(IReadOnlyList<TarnResult> results)
    {
        _results = results;
        SkipNonQueries();
    }

    private TarnResult? Current => _resultIndex < _results.Count ? _results[_resultIndex] : null;

    private void SkipNonQueries()
    {
        while (_resultIndex < _results.Count && !_results[_resultIndex].HasRows && _resultIndex < _results.Count - 1) _resultIndex++;
    }

    public override int FieldCount => Current?.Columns.Count ?? 0;
    public override int Depth => 0;
    public override bool HasRows => Current is { RowCount: > 0 };
    public override bool IsClosed => _closed;

    public override int RecordsAffected
    {
        get
        {
            long n = -1;
            foreach (var r in _results)
                if (r.RowsAffected >= 0) n = Math.Max(n, 0) + r.RowsAffected;
            return (int)Math.Min(n, int.MaxValue);
        }
    }

    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        var r = Current;
        if (r is null || _row + 1 >= r.RowCount) { _row = r?.RowCount ?? 0; return false; }
        _row++;
        return true;
    }

    public override bool NextResult()
    {
        _resultIndex++;
        _row = -1;
        while (_resultIndex < _results.Count && !_results[_resultIndex].HasRows) _resultIndex++;
        return _resultIndex < _results.Count;
    }

    private TarnResult Require()
    {
        var r = Current ?? throw new InvalidOperationException("no result");
        if (_row < 0 || _row >= r.RowCount) throw new InvalidOperationException("no current row; call Read()");
        return r;
    }

    public override object GetValue(int ordinal) => Require().GetValue(_row, ordinal) ?? DBNull.Value;

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < n; i++) values[i] = GetValue(i);
        return n;
    }

    public override bool IsDBNull(int ordinal) => Require().GetValue(_row, ordinal) is null;
    public override string GetName(int ordinal) => Current!.Columns[ordinal].Name;
    public override int GetOrdinal(string name)
    {
        var i = Current?.ColumnIndex(name) ?? -1;
        return i >= 0 ? i : throw new IndexOutOfRangeException($"no column named '{name}'");
    }

    public override string GetDataTypeName(int ordinal) => Current!.Columns[ordinal].Type.ToSql();

    public override Type GetFieldType(int ordinal) => ClrType(Current!.Columns[ordinal].Type);

    internal static Type ClrType(DataType type) => type.Kind switch
    {
        TypeKind.Boolean => typeof(bool),
        TypeKind.TinyInt => typeof(sbyte),
        TypeKind.SmallInt => typeof(short),
        TypeKind.Int => typeof(int),
        TypeKind.BigInt => typeof(long),
        TypeKind.Float => typeof(float),
        TypeKind.Double => typeof(double),
        TypeKind.Decimal => typeof(decimal),
        TypeKind.Char or TypeKind.Varchar => typeof(string),
        TypeKind.Binary or TypeKind.Varbinary => typeof(byte[]),
        TypeKind.Date => typeof(DateOnly),
        TypeKind.Time => typeof(TimeOnly),
        TypeKind.Timestamp => typeof(DateTime),
        TypeKind.TimestampLtz => typeof(DateTimeOffset),
        TypeKind.Array => typeof(object[]), // elements as this method gives for the element type; nested arrays object[]
        _ => typeof(object),
    };

    private T Get<T>(int ordinal)
    {
        var v = GetValue(ordinal);
        if (v is DBNull) throw new InvalidCastException($"column {GetName(ordinal)} is NULL");
        return v is T t ? t : (T)Convert.ChangeType(v, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override bool GetBoolean(int ordinal) => Get<bool>(ordinal);
    public override byte GetByte(int ordinal) => Get<byte>(ordinal);
    public override char GetChar(int ordinal) => Get<string>(ordinal)[0];
    public override DateTime GetDateTime(int ordinal) => GetValue(ordinal) switch
    {
        DateTimeOffset dto => dto.UtcDateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        _ => Get<DateTime>(ordinal),
    };
    public override decimal GetDecimal(int ordinal) => Get<decimal>(ordinal);
    public override double GetDouble(int ordinal) => Get<double>(ordinal);
    public override float GetFloat(int ordinal) => Get<float>(ordinal);
    public override Guid GetGuid(int ordinal) => Guid.Parse(Get<string>(ordinal));
    public override short GetInt16(int ordinal) => Get<short>(ordinal);
    public override int GetInt32(int ordinal) => Get<int>(ordinal);
    public override long GetInt64(int ordinal) => Get<long>(ordinal);
    public override string GetString(int ordinal) => Get<string>(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = Get<byte[]>(ordinal);
        if (buffer is null) return bytes.Length;
        var n = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var s = Get<string>(ordinal);
        if (buffer is null) return s.Length;
        var n = (int)Math.Max(0, Math.Min(length, s.Length - dataOffset));
        s.CopyTo((int)dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close() => _closed = true;
}

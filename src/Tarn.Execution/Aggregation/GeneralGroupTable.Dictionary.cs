using Tarn.Vectors;

namespace Tarn.Execution.Aggregation;

public sealed partial class GeneralGroupTable
{
    /// <summary>Most distinct code combinations (dictionary sizes + 1 for NULL, multiplied) the shortcut handles.</summary>
    private const int MaxCodeCombinations = 4096;

    private int[] _comboOfRow = [];
    private int[] _repOfCombo = [];
    private int[] _reps = [];
    private int[] _repGroups = [];

    /// <summary>
    /// Grouping by dictionary-encoded columns of few distinct values (TPC-H q01's <c>l_returnflag, l_linestatus</c>):
    /// the rows' dictionary codes are combined into one small number, the table is probed once per distinct
    /// combination present in the batch (with one representative row each), and every row takes its combination's
    /// group. False (nothing done) when a key is not dictionary-encoded or the combinations are too many to pay off.
    /// </summary>
    private bool TryFindOrInsertByCodes(ColumnVector[] keys, int n, int[] groupIds)
    {
        if (keys.Length == 0 || n < 256) return false;
        var combinations = 1L;
        foreach (var k in keys)
        {
            if (k is not DictionaryVector d) return false;
            combinations *= d.Dictionary.Count + 1L;
            if (combinations > MaxCodeCombinations || combinations > n / 4) return false;
        }
        if (_comboOfRow.Length < n)
        {
            _comboOfRow = new int[n];
            _reps = new int[n];
            _repGroups = new int[n];
        }
        if (_repOfCombo.Length < combinations) _repOfCombo = new int[MaxCodeCombinations];
        var comboOfRow = _comboOfRow;
        var stride = 1;
        for (var c = 0; c < keys.Length; c++)
        {
            var d = (DictionaryVector)keys[c];
            var codes = d.Codes;
            var nullCode = d.Dictionary.Count;
            if (d.Nulls is { } nulls)
            {
                for (var i = 0; i < n; i++)
                {
                    var code = nulls[i] != 0 ? nullCode : codes[i];
                    comboOfRow[i] = c == 0 ? code : comboOfRow[i] + stride * code;
                }
            }
            else if (c == 0) Array.Copy(codes, comboOfRow, n);
            else for (var i = 0; i < n; i++) comboOfRow[i] += stride * codes[i];
            stride *= nullCode + 1;
        }

        var repOfCombo = _repOfCombo;
        Array.Fill(repOfCombo, -1, 0, (int)combinations);
        var reps = _reps;
        var repCount = 0;
        for (var i = 0; i < n; i++)
        {
            ref var rep = ref repOfCombo[comboOfRow[i]];
            if (rep < 0)
            {
                rep = repCount;
                reps[repCount++] = i;
            }
        }
        var repKeys = new ColumnVector[keys.Length];
        for (var c = 0; c < keys.Length; c++) repKeys[c] = keys[c].Gather(reps.AsSpan(0, repCount));
        var repGroups = _repGroups;
        Probe(repKeys, repCount, repGroups, insert: true, nullKeysMatch: true);
        for (var i = 0; i < n; i++) groupIds[i] = repGroups[repOfCombo[comboOfRow[i]]];
        return true;
    }
}

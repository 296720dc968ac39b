using System.Text;
using Tarn.Execution;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.FileSystem;

/// <summary>
/// Reads the files of a filesystem table one after another (a batch source), in any of its formats. Columns stored in
/// the files come from a format reader that parses only the columns the query needs; partition columns (PARTITIONED
/// BY) come from the <c>key=value</c> directories above each file, the default partition name reading as NULL.
/// </summary>
internal sealed class FileSystemScanOperator : IBatchOperator
{
    private readonly FileSystemTable _table;
    private readonly IReadOnlyList<string> _files;
    private readonly IReadOnlyList<string> _dataNames;
    private readonly IReadOnlyList<DataType> _dataTypes;
    private readonly int[] _readerOutputOfField;
    private readonly int[] _fieldOfReaderOutput;
    private readonly int[] _outputSource;
    private readonly ExecutionContext _context;
    private readonly FileScanProgress _progress;
    private IFileBatchReader? _reader;
    private Stream? _stream;
    private ColumnVector?[] _partitionValues;
    private int _nextFile;

    /// <param name="dataNames">The columns stored in the files, in file order.</param>
    /// <param name="outputSource">For each output column: its data column (≥ 0), or <c>~k</c> for partition key k.</param>
    public FileSystemScanOperator(FileSystemTable table, IReadOnlyList<string> files, IReadOnlyList<string> dataNames, IReadOnlyList<DataType> dataTypes,
        int[] outputSource, IReadOnlyList<DataType> outputTypes, ExecutionContext context)
    {
        _table = table;
        _files = files;
        _dataNames = dataNames;
        _dataTypes = dataTypes;
        _outputSource = outputSource;
        _context = context;
        OutputTypes = outputTypes;
        _readerOutputOfField = new int[dataNames.Count];
        Array.Fill(_readerOutputOfField, -1);
        var fields = new List<int>();
        foreach (var source in outputSource)
            if (source >= 0 && _readerOutputOfField[source] < 0) { _readerOutputOfField[source] = fields.Count; fields.Add(source); }
        _fieldOfReaderOutput = [.. fields];
        _partitionValues = new ColumnVector?[table.PartitionKeys.Count];
        _progress = new FileScanProgress(files, context);
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (true)
        {
            _context.ThrowIfCanceled();
            if (_reader is null)
            {
                if (_nextFile >= _files.Count) { _progress.Done(); return null; }
                Open(_files[_nextFile++]);
            }
            var batch = _reader!.ReadBatch(_context.BatchSize);
            _progress.Report(_nextFile - 1, _stream);
            if (batch is not null) return Assemble(batch);
            _reader.Dispose();
            _reader = null;
            _stream = null;
        }
    }

    private void Open(string file)
    {
        try
        {
            _stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, _table.Format == FileFormat.Parquet ? FileOptions.RandomAccess : FileOptions.SequentialScan);
        }
        catch (IOException e)
        {
            throw new TarnException(SqlStates.IoError, $"cannot read '{file}': {e.Message}", e) { FilePath = file };
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TarnException(SqlStates.IoError, $"cannot read '{file}': {e.Message}", e) { FilePath = file };
        }
        try
        {
            _reader = OpenReader(file, _stream);
        }
        catch
        {
            _stream.Dispose();
            _stream = null;
            throw;
        }
        if (_table.PartitionKeys.Count > 0) _partitionValues = PartitionValues(file);
    }

    private IFileBatchReader OpenReader(string file, Stream stream)
    {
        var zone = _context.SessionTimeZone;
        var batchSize = _context.BatchSize;
        var outputs = new CsvColumnBuilder[_fieldOfReaderOutput.Length];
        for (var i = 0; i < outputs.Length; i++) outputs[i] = new CsvColumnBuilder(_dataTypes[_fieldOfReaderOutput[i]], zone, batchSize);
        switch (_table.Format)
        {
            case FileFormat.Json:
            {
                var byField = new CsvColumnBuilder?[_dataNames.Count];
                for (var f = 0; f < byField.Length; f++) byField[f] = _readerOutputOfField[f] >= 0 ? outputs[_readerOutputOfField[f]] : null;
                return new JsonLinesBatchReader(stream, file, _table.Json, _dataNames, byField, outputs);
            }
            case FileFormat.Parquet:
            {
                var names = new string[_fieldOfReaderOutput.Length];
                var types = new DataType[names.Length];
                for (var i = 0; i < names.Length; i++) { names[i] = _dataNames[_fieldOfReaderOutput[i]]; types[i] = _dataTypes[_fieldOfReaderOutput[i]]; }
                return new ParquetBatchReader(stream, file, names, types, zone);
            }
            default:
                return new CsvBatchReader(stream, file, _table.Csv, _dataNames, _readerOutputOfField, outputs);
        }
    }

    /// <summary>Each partition key's value for the rows of <paramref name="file"/>, as a one-row vector of its column type.</summary>
    private ColumnVector?[] PartitionValues(string file)
    {
        var texts = PartitionPath.ValuesOf(_table.Path, file, _table.PartitionKeys);
        var values = new ColumnVector?[texts.Length];
        for (var output = 0; output < _outputSource.Length; output++)
        {
            if (_outputSource[output] >= 0) continue;
            var k = ~_outputSource[output];
            var builder = new CsvColumnBuilder(OutputTypes[output], _context.SessionTimeZone, 1);
            var text = texts[k];
            if (text is null || text == _table.DefaultPartitionName) builder.AppendNull();
            else if (!builder.TryAppend(Encoding.UTF8.GetBytes(text)))
                throw new TarnException(SqlStates.InvalidTextRepresentation,
                    $"{file}: partition directory value '{text}' is not a valid {OutputTypes[output].WithNullable(true).ToSql()} for column {_table.PartitionKeys[k]}") { FilePath = file };
            values[k] = builder.Finish(1);
        }
        return values;
    }

    private ColumnBatch Assemble(ColumnBatch data)
    {
        if (_outputSource.Length == data.ColumnCount && _table.PartitionKeys.Count == 0 && IsIdentity()) return data;
        var columns = new ColumnVector[_outputSource.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var source = _outputSource[i];
            if (source >= 0) { columns[i] = data.Columns[_readerOutputOfField[source]]; continue; }
            var value = _partitionValues[~source]!;
            var vector = ColumnVector.Create(OutputTypes[i], data.RowCount);
            for (var r = 0; r < data.RowCount; r++) vector.AppendFrom(value, 0);
            columns[i] = vector;
        }
        return new ColumnBatch(columns, data.RowCount);
    }

    private bool IsIdentity()
    {
        for (var i = 0; i < _outputSource.Length; i++) if (_readerOutputOfField[_outputSource[i]] != i) return false;
        return true;
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _reader = null;
        _stream = null;
    }
}

using Tarn.Execution;
using Tarn.Types;
using Tarn.Vectors;
using ExecutionContext = Tarn.Execution.ExecutionContext;

namespace Tarn.Connectors.FileSystem;

/// <summary>Reads the CSV files of a filesystem table one after another (a batch source).</summary>
internal sealed class CsvScanOperator : IBatchOperator
{
    private readonly IReadOnlyList<string> _files;
    private readonly CsvFormatOptions _options;
    private readonly IReadOnlyList<string> _fieldNames;
    private readonly int[] _outputOfField;
    private readonly CsvColumnBuilder[] _builders;
    private readonly ExecutionContext _context;
    private CsvBatchReader? _reader;
    private int _nextFile;

    public CsvScanOperator(IReadOnlyList<string> files, CsvFormatOptions options, IReadOnlyList<string> fieldNames,
        int[] outputOfField, IReadOnlyList<DataType> outputTypes, ExecutionContext context)
    {
        _files = files;
        _options = options;
        _fieldNames = fieldNames;
        _outputOfField = outputOfField;
        _context = context;
        OutputTypes = outputTypes;
        _builders = new CsvColumnBuilder[outputTypes.Count];
        for (var i = 0; i < _builders.Length; i++) _builders[i] = new CsvColumnBuilder(outputTypes[i], context.SessionTimeZone, context.BatchSize);
    }

    public IReadOnlyList<DataType> OutputTypes { get; }

    public ColumnBatch? Next()
    {
        while (true)
        {
            _context.ThrowIfCanceled();
            if (_reader is null)
            {
                if (_nextFile >= _files.Count) return null;
                var file = _files[_nextFile++];
                Stream stream;
                try
                {
                    stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                }
                catch (IOException e)
                {
                    throw new TarnException(SqlStates.IoError, $"cannot read '{file}': {e.Message}", e) { FilePath = file };
                }
                catch (UnauthorizedAccessException e)
                {
                    throw new TarnException(SqlStates.IoError, $"cannot read '{file}': {e.Message}", e) { FilePath = file };
                }
                _reader = new CsvBatchReader(stream, file, _options, _fieldNames, _outputOfField, _builders);
            }
            var batch = _reader.ReadBatch(_context.BatchSize);
            if (batch is not null) return batch;
            _reader.Dispose();
            _reader = null;
        }
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _reader = null;
    }
}

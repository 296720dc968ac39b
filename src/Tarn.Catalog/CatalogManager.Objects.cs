using Tarn.Catalog.Model;
using Tarn.Storage.Log;

namespace Tarn.Catalog;

/// <summary>Scalar SQL macros and sequences: created and dropped like views, each DDL one catalog commit.</summary>
public sealed partial class CatalogManager
{
    public MacroDef? FindMacro(ObjectPath path) =>
        _image.FindCatalog(path.Catalog)?.FindDatabase(path.Database)?.FindMacro(path.Name);

    public SequenceDef? FindSequence(ObjectPath path) =>
        _image.FindCatalog(path.Catalog)?.FindDatabase(path.Database)?.FindSequence(path.Name);

    public Task CreateMacroAsync(ObjectPath path, MacroDef macro, bool orReplace, bool ifNotExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var existing = d.FindMacro(path.Name);
        if (existing is not null && !orReplace)
        {
            if (ifNotExists) return (image, [], true);
            throw new TarnException(SqlStates.DuplicateFunction, $"function '{path}' already exists");
        }
        var macros = d.Macros.Where(m => m != existing).ToList();
        macros.Add(macro with { Name = path.Name });
        var updated = d with { Macros = macros };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });

    public Task DropMacroAsync(ObjectPath path, bool ifExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var m = d.FindMacro(path.Name);
        if (m is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.UndefinedFunction, $"function '{path}' does not exist");
        }
        var updated = d with { Macros = d.Macros.Where(x => x != m).ToList() };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });

    public Task CreateSequenceAsync(ObjectPath path, SequenceDef sequence, bool orReplace, bool ifNotExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var existing = d.FindSequence(path.Name);
        if (existing is not null && !orReplace)
        {
            if (ifNotExists) return (image, [], true);
            throw new TarnException(SqlStates.DuplicateTable, $"sequence '{path}' already exists");
        }
        var sequences = d.Sequences.Where(s => s != existing).ToList();
        sequences.Add(sequence with { Name = path.Name });
        var updated = d with { Sequences = sequences };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });

    public Task DropSequenceAsync(ObjectPath path, bool ifExists) => DdlAsync(image =>
    {
        var (c, d) = Locate(image, path);
        var s = d.FindSequence(path.Name);
        if (s is null)
        {
            if (ifExists) return (image, [], true);
            throw new TarnException(SqlStates.UndefinedTable, $"sequence '{path}' does not exist");
        }
        var updated = d with { Sequences = d.Sequences.Where(x => x != s).ToList() };
        return (Replace(image, c, c with { Databases = Swap(c.Databases, d, updated) }), new List<LogOp>(), true);
    });
}

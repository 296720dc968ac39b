namespace Tarn;

/// <summary>
/// The SQLSTATE codes Tarn uses. They follow PostgreSQL's assignments so pgwire clients
/// (psql, Npgsql) classify them correctly.
/// </summary>
public static class SqlStates
{
    public const string SyntaxError = "42601";
    public const string UndefinedTable = "42P01";
    public const string UndefinedColumn = "42703";
    public const string UndefinedFunction = "42883";
    public const string UndefinedObject = "42704";
    public const string DuplicateTable = "42P07";
    public const string DuplicateObject = "42710";
    public const string DuplicateColumn = "42701";
    public const string InsufficientPrivilege = "42501";
    public const string AmbiguousColumn = "42702";
    public const string DatatypeMismatch = "42804";
    public const string GroupingError = "42803";
    public const string WindowingError = "42P20";
    public const string InvalidCatalogName = "3D000";
    public const string InvalidSchemaName = "3F000";
    public const string FeatureNotSupported = "0A000";
    public const string InvalidParameterValue = "22023";
    public const string InvalidTextRepresentation = "22P02";
    public const string NumericValueOutOfRange = "22003";
    public const string DivisionByZero = "22012";
    public const string InvalidEscapeSequence = "22025";
    public const string DatetimeFieldOverflow = "22008";
    public const string StringDataRightTruncation = "22001";

    /// <summary>SQL/JSON: the text is not JSON, or the item is not the kind asked for (JSON_VALUE ... ERROR ON ERROR).</summary>
    public const string InvalidJsonText = "22032";

    /// <summary>SQL/JSON: the path found nothing (JSON_VALUE ... ERROR ON EMPTY).</summary>
    public const string NoSqlJsonItem = "22035";
    public const string NotNullViolation = "23502";
    public const string DataCorrupted = "XX001";
    public const string IndexCorrupted = "XX002";
    public const string InternalError = "XX000";
    public const string DiskFull = "53100";
    public const string OutOfMemory = "53200";
    public const string IoError = "58030";

    /// <summary>The client could not establish a connection (PostgreSQL's sqlclient_unable_to_establish_sqlconnection): e.g. no Kafka broker answered.</summary>
    public const string CannotConnect = "08001";
    public const string LockNotAvailable = "55P03";
    public const string ObjectInUse = "55006";
    public const string QueryCanceled = "57014";
    public const string InvalidParameterReference = "42P02";
    public const string OffsetOutOfRange = "22013";
    public const string SnapshotTooOld = "72000";
    public const string ObjectNotInPrerequisiteState = "55000";
    public const string ReadOnlyTransaction = "25006";
    public const string SerializationFailure = "40001";
    /// <summary>BEGIN while a transaction is open.</summary>
    public const string ActiveSqlTransaction = "25001";
    /// <summary>COMMIT or ROLLBACK without an open transaction.</summary>
    public const string NoActiveSqlTransaction = "25P01";
    /// <summary>A statement in a transaction that an earlier error aborted (until ROLLBACK).</summary>
    public const string InFailedSqlTransaction = "25P02";
    public const string UniqueViolation = "23505";
    public const string WrongObjectType = "42809";
    /// <summary>More than one row returned by a subquery used as an expression.</summary>
    public const string CardinalityViolation = "21000";
    public const string StatementTooComplex = "54001";
    /// <summary>A WITH RECURSIVE query not of the form anchor UNION [ALL] recursive-term, or reading itself where it may not.</summary>
    public const string InvalidRecursion = "42P19";
    /// <summary>An ORDER BY or DISTINCT ON item that cannot name a column (a non-integer constant, an unknown output).</summary>
    public const string InvalidColumnReference = "42P10";
    /// <summary>A run-time limit such as the iteration limit of WITH RECURSIVE.</summary>
    public const string ProgramLimitExceeded = "54000";
    /// <summary>NEXTVAL past the end of a sequence without CYCLE.</summary>
    public const string SequenceGeneratorLimitExceeded = "2200H";
    /// <summary>A function (SQL macro) of that name already exists.</summary>
    public const string DuplicateFunction = "42723";
}

namespace Tarn.Connectors.DataGen;

/// <summary>How one column of a datagen table is generated (Flink's <c>fields.#.*</c> options).</summary>
internal sealed record DataGenFieldSpec
{
    /// <summary><c>fields.#.kind</c> = <c>sequence</c>: <see cref="Start"/> + row number, up to <see cref="End"/>.</summary>
    public bool Sequence { get; init; }

    /// <summary><c>fields.#.min</c>/<c>max</c> (random numbers), or <c>start</c>/<c>end</c> (sequences), as written.</summary>
    public string? Min { get; init; }

    public string? Max { get; init; }

    /// <summary><c>fields.#.max-past</c>: random times lie up to this far before the row's time.</summary>
    public TimeSpan MaxPast { get; init; }

    /// <summary><c>fields.#.length</c>: characters of random strings, bytes of random binary values.</summary>
    public int? Length { get; init; }

    /// <summary><c>fields.#.var-len</c>: random strings get a random length between 1 and <see cref="Length"/>.</summary>
    public bool VariableLength { get; init; }

    /// <summary><c>fields.#.null-rate</c>: the probability of NULL.</summary>
    public double NullRate { get; init; }
}

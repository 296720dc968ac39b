namespace Tarn.Execution.Streaming.Lowering;

/// <summary>One input of a lowered streaming plan: the source and the operator its batches are pushed into.</summary>
public sealed record StreamInput(IStreamSource Source, IChangeConsumer Entry, string Description);

/// <summary>A streaming plan ready to run: its inputs, in plan order, and the changelog mode of its output.</summary>
public sealed record StreamGraph(IReadOnlyList<StreamInput> Inputs, ChangelogMode OutputMode);

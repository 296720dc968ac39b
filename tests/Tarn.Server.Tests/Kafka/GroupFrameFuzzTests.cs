using System.Buffers.Binary;
using System.Net.Sockets;
using Tarn.Server.Kafka;
using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Tests.Kafka;

/// <summary>Damaged group API frames (bit flips, truncations) end at most their own connection; the coordinator keeps serving.</summary>
public sealed class GroupFrameFuzzTests
{
    private static List<byte[]> ValidFrames()
    {
        const bool F = true;
        return
        [
            GroupFlexibleFrameTests.Request(KafkaApiKeys.FindCoordinator, 4, 1, w =>
            {
                w.Int8(0);
                w.FlexArrayCount(1, F);
                w.FlexString("z", F);
                w.FlexTags(F);
            }),
            GroupFlexibleFrameTests.Request(KafkaApiKeys.JoinGroup, 7, 2, w =>
            {
                w.FlexString("z", F);
                w.Int32(5000);
                w.Int32(2000);
                w.FlexString("", F);
                w.FlexNullableString(null, F);
                w.FlexString("consumer", F);
                w.FlexArrayCount(1, F);
                w.FlexString("range", F);
                w.FlexBytes([0, 1, 2, 3], F);
                w.FlexTags(F);
                w.FlexTags(F);
            }),
            GroupFlexibleFrameTests.Request(KafkaApiKeys.OffsetCommit, 8, 3, w =>
            {
                w.FlexString("z", F);
                w.Int32(-1);
                w.FlexString("", F);
                w.FlexNullableString(null, F);
                w.FlexArrayCount(1, F);
                w.FlexString("t", F);
                w.FlexArrayCount(1, F);
                w.Int32(0);
                w.Int64(5);
                w.Int32(-1);
                w.FlexNullableString("m", F);
                w.FlexTags(F);
                w.FlexTags(F);
                w.FlexTags(F);
            }),
            GroupFlexibleFrameTests.Request(KafkaApiKeys.OffsetFetch, 8, 4, w =>
            {
                w.FlexArrayCount(1, F);
                w.FlexString("z", F);
                w.FlexArrayCount(-1, F);
                w.FlexTags(F);
                w.Bool(false);
                w.FlexTags(F);
            }),
            GroupFlexibleFrameTests.Request(KafkaApiKeys.LeaveGroup, 4, 5, w =>
            {
                w.FlexString("z", F);
                w.FlexArrayCount(1, F);
                w.FlexString("m", F);
                w.FlexNullableString("i", F);
                w.FlexTags(F);
                w.FlexTags(F);
            }),
            GroupFlexibleFrameTests.Request(KafkaApiKeys.DescribeGroups, 5, 6, w =>
            {
                w.FlexArrayCount(1, F);
                w.FlexString("z", F);
                w.Bool(false);
                w.FlexTags(F);
            }),
            GroupFlexibleFrameTests.Request(KafkaApiKeys.SyncGroup, 5, 7, w =>
            {
                w.FlexString("z", F);
                w.Int32(1);
                w.FlexString("m", F);
                w.FlexNullableString(null, F);
                w.FlexNullableString("consumer", F);
                w.FlexNullableString("range", F);
                w.FlexArrayCount(1, F);
                w.FlexString("m", F);
                w.FlexBytes([1], F);
                w.FlexTags(F);
                w.FlexTags(F);
            }),
        ];
    }

    [Fact]
    public async Task Flipped_and_truncated_group_frames_never_stop_the_coordinator()
    {
        await using var fx = new KafkaFixture();
        var frames = ValidFrames();
        var random = new Random(20261126);
        var buffer = new byte[65536];
        for (var i = 0; i < 400; i++)
        {
            var frame = (byte[])frames[i % frames.Count].Clone();
            var headerEnd = 4 + 2 + 2 + 4 + 2 + "flex-test".Length; // keep api key and version so the group parsers are reached
            if (random.Next(4) == 0)
            {
                var cut = random.Next(headerEnd + 1, frame.Length);
                frame = frame[..cut];
                BinaryPrimitives.WriteInt32BigEndian(frame, cut - 4);
            }
            else
            {
                for (var k = random.Next(1, 4); k > 0; k--) frame[random.Next(headerEnd, frame.Length)] ^= (byte)(1 << random.Next(8));
            }
            using var client = new TcpClient();
            await client.ConnectAsync(fx.Listener.LocalEndPoint);
            var s = client.GetStream();
            await s.WriteAsync(frame);
            // an answer, a closed connection, or a request still waiting for a rebalance round: all fine
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                _ = await s.ReadAsync(buffer, wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
            }
        }

        // the coordinator still answers a well-formed request
        using var good = new TcpClient();
        await good.ConnectAsync(fx.Listener.LocalEndPoint);
        var gs = good.GetStream();
        await gs.WriteAsync(ValidFrames()[5]); // DescribeGroups v5
        var size = new byte[4];
        await gs.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await gs.ReadExactlyAsync(body);
        Assert.Equal(6, BinaryPrimitives.ReadInt32BigEndian(body));
        var r = new KafkaReader(body.AsSpan(5));
        Assert.Equal(0, r.Int32());
        Assert.Equal(1, r.FlexArrayCount(true, 1));
        Assert.Equal(KafkaErrors.None, r.Int16());
        Assert.Equal("z", r.FlexString(true));
    }
}

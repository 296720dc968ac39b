using System.Buffers.Binary;
using System.Net.Sockets;
using Tarn.Server.Kafka;
using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Tests.Kafka;

/// <summary>
/// The flexible (KIP-482) versions of the group APIs, hand-built: request header v2 and response header v1 (tagged
/// fields), compact strings and arrays; FindCoordinator v4 batched keys, OffsetFetch v8 several groups, LeaveGroup v4
/// several members (no client at hand sends these).
/// </summary>
public sealed class GroupFlexibleFrameTests
{
    /// <summary>LeaveGroup v4 (flexible): members by id and/or group instance id.</summary>
    internal static byte[] LeaveGroupV4(string group, int correlationId, params (string MemberId, string? InstanceId)[] members) =>
        Request(KafkaApiKeys.LeaveGroup, 4, correlationId, w =>
        {
            w.FlexString(group, true);
            w.FlexArrayCount(members.Length, true);
            foreach (var (id, instance) in members)
            {
                w.FlexString(id, true);
                w.FlexNullableString(instance, true);
                w.FlexTags(true);
            }
            w.FlexTags(true);
        });

    /// <summary>A LeaveGroup v4 response without a top-level error, answering each member in order.</summary>
    internal static void AssertLeaveGroupV4(byte[] response, params (string MemberId, string? InstanceId, short Error)[] members)
    {
        var r = new KafkaReader(response);
        Assert.Equal(0, r.Int32());
        Assert.Equal(KafkaErrors.None, r.Int16());
        Assert.Equal(members.Length, r.FlexArrayCount(true, 1));
        foreach (var (id, instance, error) in members)
        {
            Assert.Equal(id, r.FlexString(true));
            Assert.Equal(instance, r.FlexNullableString(true));
            Assert.Equal(error, r.Int16());
            r.FlexTags(true);
        }
    }

    internal static byte[] Request(short key, short version, int correlationId, Action<KafkaWriter> body)
    {
        var w = new KafkaWriter();
        w.Int32(0);
        w.Int16(key);
        w.Int16(version);
        w.Int32(correlationId);
        w.NullableString("flex-test");
        Assert.True(KafkaApiKeys.IsFlexible(key, version));
        w.UVarLong(0); // header tags
        body(w);
        w.PatchInt32(0, w.Length - 4);
        return w.Written.ToArray();
    }

    private static async Task<byte[]> CallAsync(NetworkStream stream, byte[] request, int correlationId)
    {
        await stream.WriteAsync(request);
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(frame);
        Assert.Equal(correlationId, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(0, frame[4]); // response header v1: an empty tag block
        return frame[5..];
    }

    [Fact]
    public async Task Flexible_group_apis_from_find_coordinator_to_leave()
    {
        await using var fx = new KafkaFixture();
        using var client = new TcpClient();
        await client.ConnectAsync(fx.Listener.LocalEndPoint);
        var s = client.GetStream();
        const bool F = true;

        // FindCoordinator v4: batched keys, this node for each
        var resp = await CallAsync(s, Request(KafkaApiKeys.FindCoordinator, 4, 1, w =>
        {
            w.Int8(0);
            w.FlexArrayCount(2, F);
            w.FlexString("fg", F);
            w.FlexString("other", F);
            w.FlexTags(F);
        }), 1);
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(2, r.FlexArrayCount(F, 1));
            foreach (var key in new[] { "fg", "other" })
            {
                Assert.Equal(key, r.FlexString(F));
                Assert.Equal(0, r.Int32());
                Assert.Equal("127.0.0.1", r.FlexString(F));
                Assert.Equal(fx.Listener.LocalEndPoint.Port, r.Int32());
                Assert.Equal(KafkaErrors.None, r.Int16());
                Assert.Null(r.FlexNullableString(F));
                r.FlexTags(F);
            }
            r.FlexTags(F);
            Assert.Equal(0, r.Remaining);
        }

        // JoinGroup v7: KIP-394 hands out a member id first, then the join with it completes generation 1
        byte[] JoinBody(string memberId) => Request(KafkaApiKeys.JoinGroup, 7, 2, w =>
        {
            w.FlexString("fg", F);
            w.Int32(10000);
            w.Int32(10000);
            w.FlexString(memberId, F);
            w.FlexNullableString(null, F);
            w.FlexString("consumer", F);
            w.FlexArrayCount(1, F);
            w.FlexString("range", F);
            w.FlexBytes([0, 1], F);
            w.FlexTags(F);
            w.FlexTags(F);
        });
        resp = await CallAsync(s, JoinBody(""), 2);
        string memberId;
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(GroupErrors.MemberIdRequired, r.Int16());
            Assert.Equal(-1, r.Int32());
            Assert.Null(r.FlexNullableString(F));
            Assert.Null(r.FlexNullableString(F));
            Assert.Equal("", r.FlexString(F));
            memberId = r.FlexString(F);
            Assert.StartsWith("flex-test-", memberId, StringComparison.Ordinal);
            Assert.Equal(0, r.FlexArrayCount(F, 1));
        }
        resp = await CallAsync(s, JoinBody(memberId), 2);
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(KafkaErrors.None, r.Int16());
            Assert.Equal(1, r.Int32());
            Assert.Equal("consumer", r.FlexNullableString(F));
            Assert.Equal("range", r.FlexNullableString(F));
            Assert.Equal(memberId, r.FlexString(F)); // leader
            Assert.Equal(memberId, r.FlexString(F));
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal(memberId, r.FlexString(F));
            Assert.Null(r.FlexNullableString(F));
            Assert.Equal([0, 1], r.FlexBytes(F));
            r.FlexTags(F);
            r.FlexTags(F);
            Assert.Equal(0, r.Remaining);
        }

        // SyncGroup v5: the leader's assignment comes back with the protocol type and name
        resp = await CallAsync(s, Request(KafkaApiKeys.SyncGroup, 5, 3, w =>
        {
            w.FlexString("fg", F);
            w.Int32(1);
            w.FlexString(memberId, F);
            w.FlexNullableString(null, F);
            w.FlexNullableString("consumer", F);
            w.FlexNullableString("range", F);
            w.FlexArrayCount(1, F);
            w.FlexString(memberId, F);
            w.FlexBytes([5, 6], F);
            w.FlexTags(F);
            w.FlexTags(F);
        }), 3);
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(KafkaErrors.None, r.Int16());
            Assert.Equal("consumer", r.FlexNullableString(F));
            Assert.Equal("range", r.FlexNullableString(F));
            Assert.Equal([5, 6], r.FlexBytes(F));
        }

        // Heartbeat v4
        resp = await CallAsync(s, Request(KafkaApiKeys.Heartbeat, 4, 4, w =>
        {
            w.FlexString("fg", F);
            w.Int32(1);
            w.FlexString(memberId, F);
            w.FlexNullableString(null, F);
            w.FlexTags(F);
        }), 4);
        Assert.Equal(KafkaErrors.None, BinaryPrimitives.ReadInt16BigEndian(resp.AsSpan(4)));

        // OffsetCommit v8, then OffsetFetch v8 for two groups (one without commits)
        resp = await CallAsync(s, Request(KafkaApiKeys.OffsetCommit, 8, 5, w =>
        {
            w.FlexString("fg", F);
            w.Int32(1);
            w.FlexString(memberId, F);
            w.FlexNullableString(null, F);
            w.FlexArrayCount(1, F);
            w.FlexString("t", F);
            w.FlexArrayCount(2, F);
            foreach (var (p, o, m) in new[] { (0, 11L, (string?)"m0"), (1, 12L, null) })
            {
                w.Int32(p);
                w.Int64(o);
                w.Int32(-1);
                w.FlexNullableString(m, F);
                w.FlexTags(F);
            }
            w.FlexTags(F);
            w.FlexTags(F);
        }), 5);
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal("t", r.FlexString(F));
            Assert.Equal(2, r.FlexArrayCount(F, 1));
            for (var p = 0; p < 2; p++)
            {
                Assert.Equal(p, r.Int32());
                Assert.Equal(KafkaErrors.None, r.Int16());
                r.FlexTags(F);
            }
        }
        resp = await CallAsync(s, Request(KafkaApiKeys.OffsetFetch, 8, 6, w =>
        {
            w.FlexArrayCount(2, F);
            w.FlexString("fg", F);
            w.FlexArrayCount(-1, F); // all topics: a null compact array is written as 0
            w.FlexTags(F);
            w.FlexString("nog", F);
            w.FlexArrayCount(1, F);
            w.FlexString("t", F);
            w.FlexArrayCount(1, F);
            w.Int32(0);
            w.FlexTags(F);
            w.FlexTags(F);
            w.Bool(false);
            w.FlexTags(F);
        }), 6);
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(2, r.FlexArrayCount(F, 1));
            Assert.Equal("fg", r.FlexString(F));
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal("t", r.FlexString(F));
            Assert.Equal(2, r.FlexArrayCount(F, 1));
            foreach (var (p, o, m) in new[] { (0, 11L, (string?)"m0"), (1, 12L, null) })
            {
                Assert.Equal(p, r.Int32());
                Assert.Equal(o, r.Int64());
                Assert.Equal(-1, r.Int32());
                Assert.Equal(m, r.FlexNullableString(F));
                Assert.Equal(KafkaErrors.None, r.Int16());
                r.FlexTags(F);
            }
            r.FlexTags(F);
            Assert.Equal(KafkaErrors.None, r.Int16());
            r.FlexTags(F);
            Assert.Equal("nog", r.FlexString(F));
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal("t", r.FlexString(F));
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal(0, r.Int32());
            Assert.Equal(-1L, r.Int64()); // nothing committed
            Assert.Equal(-1, r.Int32());
            Assert.Equal("", r.FlexNullableString(F));
            Assert.Equal(KafkaErrors.None, r.Int16());
        }

        // DescribeGroups v5 and ListGroups v4 (state filter)
        resp = await CallAsync(s, Request(KafkaApiKeys.DescribeGroups, 5, 7, w =>
        {
            w.FlexArrayCount(1, F);
            w.FlexString("fg", F);
            w.Bool(false);
            w.FlexTags(F);
        }), 7);
        {
            var r = new KafkaReader(resp);
            Assert.Equal(0, r.Int32());
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal(KafkaErrors.None, r.Int16());
            Assert.Equal("fg", r.FlexString(F));
            Assert.Equal("Stable", r.FlexString(F));
            Assert.Equal("consumer", r.FlexString(F));
            Assert.Equal("range", r.FlexString(F));
            Assert.Equal(1, r.FlexArrayCount(F, 1));
            Assert.Equal(memberId, r.FlexString(F));
            Assert.Null(r.FlexNullableString(F));
            Assert.Equal("flex-test", r.FlexString(F));
            Assert.Equal("/127.0.0.1", r.FlexString(F));
            Assert.Equal([0, 1], r.FlexBytes(F));
            Assert.Equal([5, 6], r.FlexBytes(F));
        }
        Assert.Equal([("fg", "Stable")], await ListGroupsAsync(s, 8, "Stable"));
        Assert.Empty(await ListGroupsAsync(s, 9, "Empty"));

        // LeaveGroup v4: a batch of members, each with its own error
        resp = await CallAsync(s, LeaveGroupV4("fg", 10, (memberId, null), ("ghost", null)), 10);
        AssertLeaveGroupV4(resp, (memberId, null, KafkaErrors.None), ("ghost", null, GroupErrors.UnknownMemberId));
        // with its committed offsets the group stays listed, now Empty
        Assert.Equal([("fg", "Empty")], await ListGroupsAsync(s, 11, "Empty"));
    }

    private static async Task<List<(string, string)>> ListGroupsAsync(NetworkStream s, int correlationId, string state)
    {
        var resp = await CallAsync(s, Request(KafkaApiKeys.ListGroups, 4, correlationId, w =>
        {
            w.FlexArrayCount(1, true);
            w.FlexString(state, true);
            w.FlexTags(true);
        }), correlationId);
        var r = new KafkaReader(resp);
        Assert.Equal(0, r.Int32());
        Assert.Equal(KafkaErrors.None, r.Int16());
        var n = r.FlexArrayCount(true, 1);
        var result = new List<(string, string)>();
        for (var i = 0; i < n; i++)
        {
            var id = r.FlexString(true);
            Assert.Equal("consumer", r.FlexString(true));
            result.Add((id, r.FlexString(true)));
            r.FlexTags(true);
        }
        return result;
    }
}

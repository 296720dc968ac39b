using Tarn.Server.Kafka.Groups;

namespace Tarn.Server.Kafka;

/// <summary>
/// DeleteGroups (v0-2, v2 flexible) and OffsetDelete (v0), what librdkafka's AdminClient sends for DeleteGroups and
/// DeleteConsumerGroupOffsets. A group is deleted only without members (NON_EMPTY_GROUP), an unknown one is
/// GROUP_ID_NOT_FOUND; offsets of a topic a member subscribes to stay (GROUP_SUBSCRIBED_TO_TOPIC). Tarn's grants are
/// per table, so deleting needs what consuming needs: SELECT on every topic whose offsets go (a group with offsets on
/// a table the user may not read is GROUP_AUTHORIZATION_FAILED, an unreadable topic of OffsetDelete
/// TOPIC_AUTHORIZATION_FAILED), as Kafka asks for DELETE on the group and READ on its topics.
/// </summary>
internal sealed partial class KafkaConnection
{
    private async Task DeleteGroupsAsync(GroupCoordinator groups, short version, bool flex, ReadOnlyMemory<byte> body)
    {
        var ids = new List<string>();
        {
            var r = new KafkaReader(body.Span);
            var n = r.FlexArrayCount(flex, 2);
            for (var i = 0; i < n; i++) ids.Add(r.FlexString(flex));
            r.FlexTags(flex);
        }
        var errors = new short[ids.Count];
        for (var i = 0; i < ids.Count; i++)
            errors[i] = MayReadAll(groups.CommittedTopics(ids[i])) ? await groups.DeleteGroupAsync(ids[i]).ConfigureAwait(false) : GroupAuthorizationFailed;
        var w = _response;
        w.Int32(0); // throttle
        w.FlexArrayCount(ids.Count, flex);
        for (var i = 0; i < ids.Count; i++)
        {
            w.FlexString(ids[i], flex);
            w.Int16(errors[i]);
            w.FlexTags(flex);
        }
        w.FlexTags(flex);
    }

    private async Task OffsetDeleteAsync(GroupCoordinator groups, short version, bool flex, ReadOnlyMemory<byte> body)
    {
        _ = version; // v0 only
        string groupId;
        List<(string Topic, List<int> Partitions)> topics;
        {
            // The same topic/partition list as OffsetFetch's, where null (all topics) does not occur.
            var r = new KafkaReader(body.Span);
            groupId = r.FlexString(flex);
            topics = ReadOffsetFetchTopics(ref r, flex) ?? [];
            r.FlexTags(flex);
        }
        var allowed = topics.FindAll(t => MayAccess(t.Topic, Catalog.Model.TablePrivileges.Select));
        var (error, allowedErrors) = await groups.DeleteOffsetsAsync(groupId, allowed).ConfigureAwait(false);
        var partitionErrors = new short[topics.Count][];
        for (int t = 0, a = 0; t < topics.Count; t++)
        {
            if (a < allowed.Count && ReferenceEquals(allowed[a].Partitions, topics[t].Partitions)) partitionErrors[t] = allowedErrors[a++];
            else partitionErrors[t] = Array.ConvertAll(topics[t].Partitions.ToArray(), _ => TopicAuthorizationFailed);
        }
        var w = _response;
        w.Int16(error);
        w.Int32(0); // throttle
        w.FlexArrayCount(error == KafkaErrors.None ? topics.Count : 0, flex);
        if (error == KafkaErrors.None)
        {
            for (var t = 0; t < topics.Count; t++)
            {
                w.FlexString(topics[t].Topic, flex);
                w.FlexArrayCount(topics[t].Partitions.Count, flex);
                for (var p = 0; p < topics[t].Partitions.Count; p++)
                {
                    w.Int32(topics[t].Partitions[p]);
                    w.Int16(partitionErrors[t][p]);
                    w.FlexTags(flex);
                }
                w.FlexTags(flex);
            }
        }
        w.FlexTags(flex);
    }

    private const short GroupAuthorizationFailed = 30;

    private bool MayReadAll(IReadOnlyCollection<string> topics)
    {
        foreach (var topic in topics)
            if (!MayAccess(topic, Catalog.Model.TablePrivileges.Select)) return false;
        return true;
    }
}

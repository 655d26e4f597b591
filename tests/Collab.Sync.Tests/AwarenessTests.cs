using Collab.Sync.Tests.Golden;

namespace Collab.Sync.Tests;

public sealed class AwarenessTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Awareness_update_from_y_protocols_decodes_to_its_entries_and_reencodes_byte_for_byte()
    {
        var bytes = Hex(YProtocolsVectors.AwarenessUpdate);
        var entries = AwarenessUpdate.Decode(bytes);
        Assert.Equal(2, entries.Count);
        Assert.Equal((1UL << 40) + 7, entries[0].ClientId);
        Assert.Equal(YProtocolsVectors.AwarenessClock1, entries[0].Clock);
        Assert.Equal("{\"user\":{\"name\":\"Zoë ✓\",\"color\":\"#30bced\"},\"cursor\":null,\"n\":2}", entries[0].Json);
        Assert.False(entries[0].IsRemoved);
        Assert.Equal(5UL, entries[1].ClientId);
        Assert.Equal(YProtocolsVectors.AwarenessClock2, entries[1].Clock);
        Assert.True(entries[1].IsRemoved);
        Assert.Equal(bytes, AwarenessUpdate.Encode(entries));
    }

    [Fact]
    public void Applying_awareness_updates_matches_y_protocols_step_by_step()
    {
        var awareness = new Awareness();
        foreach (var step in YProtocolsVectors.AwarenessScript)
        {
            var change = awareness.Apply(AwarenessUpdate.Decode(Hex(step.Input)));
            Assert.Equal(step.Added, change.Added);
            Assert.Equal(step.Updated, change.Updated);
            Assert.Equal(step.Removed, change.Removed);
            var known = awareness.KnownClients.Order().ToList();
            Assert.Equal(step.Table, Convert.ToHexStringLower(awareness.EncodeUpdate(known)));
        }
    }

    [Fact]
    public void Invalid_json_state_is_rejected()
    {
        var update = AwarenessUpdate.Encode([new AwarenessEntry(1, 1, "{not json")]);
        var e = Assert.Throws<SyncProtocolException>(() => AwarenessUpdate.Decode(update));
        Assert.Equal(SyncProtocolError.InvalidJson, e.Error);
    }

    [Fact]
    public void Two_json_values_in_one_state_are_rejected()
    {
        var update = AwarenessUpdate.Encode([new AwarenessEntry(1, 1, "{} {}")]);
        Assert.Equal(SyncProtocolError.InvalidJson, Assert.Throws<SyncProtocolException>(() => AwarenessUpdate.Decode(update)).Error);
    }

    [Fact]
    public void State_over_the_size_limit_is_rejected_with_limit_exceeded()
    {
        var update = AwarenessUpdate.Encode([new AwarenessEntry(1, 1, "\"" + new string('x', 100) + "\"")]);
        var e = Assert.Throws<SyncProtocolException>(() => AwarenessUpdate.Decode(update, maxStateBytes: 64));
        Assert.Equal(SyncProtocolError.LimitExceeded, e.Error);
        Assert.Single(AwarenessUpdate.Decode(update, maxStateBytes: 102));
    }

    [Fact]
    public void An_entry_count_larger_than_the_bytes_allow_is_rejected_without_allocating()
    {
        var e = Assert.Throws<SyncProtocolException>(() => AwarenessUpdate.Decode(Hex("ffffffff0f")));
        Assert.Equal(SyncProtocolError.UnexpectedEndOfBuffer, e.Error);
    }

    [Fact]
    public void Remote_states_time_out_after_30_seconds_and_are_reported_as_removed()
    {
        var time = new ManualTime();
        var awareness = new Awareness(time: time);
        awareness.Apply([new AwarenessEntry(7, 1, "{}")]);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(awareness.RemoveOutdated().IsEmpty);
        awareness.Apply([new AwarenessEntry(7, 2, "{}")]); // renewal
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(awareness.RemoveOutdated().IsEmpty);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([7UL], awareness.RemoveOutdated().Removed);
        Assert.Equal(0, awareness.Count);
        // the removal is announced with the last clock and a null state
        Assert.Equal("010702046e756c6c", Convert.ToHexStringLower(awareness.EncodeUpdate([7])));
    }

    [Fact]
    public void Local_state_is_renewed_after_half_the_timeout_and_never_removed_by_a_peer()
    {
        var time = new ManualTime();
        var awareness = new Awareness(localClientId: 3, time: time);
        Assert.Equal([3UL], awareness.SetLocalState("{\"a\":1}").Added);
        Assert.Equal(0UL, awareness.GetClock(3));
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.True(awareness.RenewLocalStateIfDue().IsEmpty);
        time.Advance(TimeSpan.FromSeconds(1));
        var renewal = awareness.RenewLocalStateIfDue();
        Assert.Equal([3UL], renewal.Updated);
        Assert.Empty(renewal.Changed);
        Assert.Equal(1UL, awareness.GetClock(3));

        awareness.Apply([new AwarenessEntry(3, 5, "null")]);
        Assert.Equal("{\"a\":1}", awareness.GetLocalState());
        Assert.Equal(6UL, awareness.GetClock(3));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}

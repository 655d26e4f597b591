using Collab.Server.Documents;
using Collab.Sync;

namespace Collab.Server.Tests.Documents;

public sealed class PresenceTrackerTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AwarenessEntry State(ulong client, ulong clock, string json) => new(client, clock, json);

    private static string Describe(PresenceTracker tracker) =>
        string.Join(";", tracker.Users().Select(u => u.ClientId + "=" + (u.UserJson ?? "null")));

    [Fact]
    public void New_clients_changed_user_fields_and_removals_are_changes_but_cursor_moves_and_renewals_are_not()
    {
        var awareness = new Awareness();
        var tracker = new PresenceTracker();

        Assert.True(tracker.Apply(awareness, awareness.Apply([State(7, 1, "{}")])));
        Assert.Equal("7=null", Describe(tracker));

        Assert.True(tracker.Apply(awareness, awareness.Apply([State(7, 2, """{"user":{"name":"Ada"}}""")])));
        Assert.Equal("""7={"name":"Ada"}""", Describe(tracker));

        Assert.False(tracker.Apply(awareness, awareness.Apply([State(7, 3, """{"user":{"name":"Ada"},"cursor":{"head":4}}""")])));
        Assert.False(tracker.Apply(awareness, awareness.Apply([State(7, 4, """{"user":{"name":"Ada"},"cursor":{"head":4}}""")])));

        Assert.True(tracker.Apply(awareness, awareness.Apply([State(3, 1, """{"user":{"name":"Bob"}}""")])));
        Assert.Equal("""3={"name":"Bob"};7={"name":"Ada"}""", Describe(tracker));

        Assert.True(tracker.Apply(awareness, awareness.Apply([State(7, 5, """{"user":{"name":"Ada L."},"cursor":{"head":4}}""")])));
        Assert.True(tracker.Apply(awareness, awareness.Apply([State(7, 6, "null")])));
        Assert.Equal("""3={"name":"Bob"}""", Describe(tracker));

        Assert.True(tracker.Apply(awareness, awareness.Remove([3UL])));
        Assert.True(tracker.IsEmpty);
        Assert.False(tracker.Apply(awareness, awareness.Remove([3UL])));
    }

    [Fact]
    public void States_that_time_out_leave_the_presence()
    {
        var time = new ManualTime();
        var awareness = new Awareness(time: time, outdatedTimeout: TimeSpan.FromSeconds(30));
        var tracker = new PresenceTracker();
        tracker.Apply(awareness, awareness.Apply([State(1, 1, """{"user":{"name":"Ada"}}""")]));
        time.Now += TimeSpan.FromSeconds(20);
        tracker.Apply(awareness, awareness.Apply([State(2, 1, """{"user":{"name":"Bob"}}""")]));

        time.Now += TimeSpan.FromSeconds(15);
        Assert.True(tracker.Apply(awareness, awareness.RemoveOutdated()));
        Assert.Equal("""2={"name":"Bob"}""", Describe(tracker));
    }

    [Theory]
    [InlineData("""{"user":{"name":"Ada","tags":["a"]}}""", """{"name":"Ada","tags":["a"]}""")]
    [InlineData("""{"user":"ada"}""", "\"ada\"")]
    [InlineData("""{"user":null}""", null)]
    [InlineData("""{"cursor":1}""", null)]
    [InlineData("[1,2]", null)]
    [InlineData("not json", null)]
    public void The_user_field_is_taken_as_raw_json_or_null(string state, string? user) =>
        Assert.Equal(user, PresenceTracker.UserField(state));
}

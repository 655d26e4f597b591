using Collab.Sync.Tests.Golden;

namespace Collab.Sync.Tests;

public sealed class ProtocolMessageTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Step1_of_an_empty_document_decodes_and_reencodes_byte_for_byte()
    {
        var frame = Hex(YProtocolsVectors.EmptyStep1);
        var message = ProtocolMessage.Decode(frame);
        Assert.Equal(MessageType.Sync, message.Type);
        Assert.Equal(SyncMessageType.Step1, message.SyncType);
        Assert.Equal(new byte[] { 0 }, message.Payload.ToArray());
        Assert.Equal(frame, SyncMessages.EncodeSyncStep1(message.Payload.Span));
    }

    [Fact]
    public void Step1_with_a_client_id_above_2_pow_32_matches_y_protocols()
    {
        var frame = Hex(YProtocolsVectors.Step1);
        var message = ProtocolMessage.Decode(frame);
        Assert.Equal(SyncMessageType.Step1, message.SyncType);
        Assert.Equal(Hex(YProtocolsVectors.Step1StateVector), message.Payload.ToArray());
        Assert.False(message.IsWrite);
        Assert.Equal(frame, SyncMessages.EncodeSyncStep1(Hex(YProtocolsVectors.Step1StateVector)));
    }

    [Fact]
    public void Step2_matches_y_protocols_and_counts_as_a_write()
    {
        var frame = Hex(YProtocolsVectors.Step2);
        var message = ProtocolMessage.Decode(frame);
        Assert.Equal(SyncMessageType.Step2, message.SyncType);
        Assert.Equal(Hex(YProtocolsVectors.Step2Update), message.Payload.ToArray());
        Assert.True(message.IsWrite);
        Assert.Equal(frame, SyncMessages.EncodeSyncStep2(message.Payload.Span));
    }

    [Fact]
    public void Update_matches_y_protocols_and_counts_as_a_write()
    {
        var frame = Hex(YProtocolsVectors.Update);
        var message = ProtocolMessage.Decode(frame);
        Assert.Equal(SyncMessageType.Update, message.SyncType);
        Assert.Equal(Hex(YProtocolsVectors.UpdatePayload), message.Payload.ToArray());
        Assert.True(message.IsWrite);
        Assert.Equal(frame, SyncMessages.EncodeUpdate(message.Payload.Span));
    }

    [Fact]
    public void Permission_denied_with_a_unicode_reason_matches_y_protocols()
    {
        var frame = Hex(YProtocolsVectors.PermissionDenied);
        var message = ProtocolMessage.Decode(frame);
        Assert.Equal(MessageType.Auth, message.Type);
        Assert.Equal("read-only: ünicode ✓", message.Reason);
        Assert.Equal(frame, SyncMessages.EncodePermissionDenied("read-only: ünicode ✓"));
    }

    [Fact]
    public void Query_awareness_is_the_single_byte_3()
    {
        var frame = Hex(YProtocolsVectors.QueryAwareness);
        Assert.Equal(MessageType.QueryAwareness, ProtocolMessage.Decode(frame).Type);
        Assert.Equal(frame, SyncMessages.EncodeQueryAwareness());
    }

    [Fact]
    public void Awareness_frame_matches_y_protocols()
    {
        var frame = Hex(YProtocolsVectors.AwarenessFrame);
        var message = ProtocolMessage.Decode(frame);
        Assert.Equal(MessageType.Awareness, message.Type);
        Assert.Equal(Hex(YProtocolsVectors.AwarenessUpdate), message.Payload.ToArray());
        Assert.Equal(frame, SyncMessages.EncodeAwareness(message.Payload.Span));
    }

    [Fact]
    public void Empty_frame_is_rejected_with_end_of_buffer()
    {
        var e = Assert.Throws<SyncProtocolException>(() => ProtocolMessage.Decode(Array.Empty<byte>()));
        Assert.Equal(SyncProtocolError.UnexpectedEndOfBuffer, e.Error);
    }

    [Fact]
    public void Every_truncation_of_a_real_update_frame_is_rejected_with_end_of_buffer()
    {
        var frame = Hex(YProtocolsVectors.Update);
        for (int len = 0; len < frame.Length; len++)
        {
            var e = Assert.Throws<SyncProtocolException>(() => ProtocolMessage.Decode(frame.AsMemory(0, len)));
            Assert.Equal(SyncProtocolError.UnexpectedEndOfBuffer, e.Error);
        }
    }

    [Fact]
    public void Trailing_bytes_after_a_message_are_rejected()
    {
        var frame = Hex(YProtocolsVectors.EmptyStep1 + "00");
        var e = Assert.Throws<SyncProtocolException>(() => ProtocolMessage.Decode(frame));
        Assert.Equal(SyncProtocolError.TrailingBytes, e.Error);
    }

    [Theory]
    [InlineData("04", SyncProtocolError.UnknownMessageType)]
    [InlineData("7f", SyncProtocolError.UnknownMessageType)]
    [InlineData("000300", SyncProtocolError.UnknownSyncMessageType)]
    [InlineData("020100", SyncProtocolError.UnknownAuthMessageType)]
    [InlineData("0200 02 c328", SyncProtocolError.InvalidUtf8)]
    [InlineData("ffffffffffffffffff01", SyncProtocolError.IntegerOutOfRange)]
    [InlineData("00 00 ffffffff0f", SyncProtocolError.UnexpectedEndOfBuffer)]
    public void Malformed_frames_are_rejected_with_a_typed_error(string hex, SyncProtocolError expected)
    {
        var e = Assert.Throws<SyncProtocolException>(() => ProtocolMessage.Decode(Hex(hex.Replace(" ", ""))));
        Assert.Equal(expected, e.Error);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_a_sync_protocol_exception()
    {
        var random = new Random(4);
        for (int i = 0; i < 20_000; i++)
        {
            var frame = new byte[random.Next(0, 24)];
            random.NextBytes(frame);
            try
            {
                var message = ProtocolMessage.Decode(frame);
                if (message.Type == MessageType.Awareness)
                {
                    AwarenessUpdate.Decode(message.Payload.Span);
                }
            }
            catch (SyncProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Large_payload_lengths_round_trip()
    {
        var payload = new byte[70_000];
        new Random(1).NextBytes(payload);
        var frame = SyncMessages.EncodeUpdate(payload);
        Assert.Equal(payload, ProtocolMessage.Decode(frame).Payload.ToArray());
    }
}

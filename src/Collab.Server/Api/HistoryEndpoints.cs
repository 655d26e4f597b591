using System.Globalization;
using Collab.Crdt;
using Collab.Server.Auth;
using Collab.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Collab.Server.Api;

/// <summary>The update log's metadata (history) and the long-poll change feed.</summary>
internal static class HistoryEndpoints
{
    public static async Task<IResult> GetHistoryAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc,
        [FromQuery] string? after, [FromQuery] string? limit)
    {
        var (key, _, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Read);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TrySeq("after", after, out long afterSeq, out var error) || !ApiQuery.TryLimit(limit, out int take, out error))
        {
            return ApiProblems.BadRequest(error!);
        }

        if (await api.Catalog.GetInfoAsync(key, context.RequestAborted) is null)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        // the metadata table outlives compaction: the history lists every update, also those folded into a snapshot
        var history = await api.Catalog.ReadHistoryAsync(key, afterSeq, take, context.RequestAborted);
        var items = history.Select(h => new HistoryItem(h.Seq, h.ReceivedAt, h.Size, h.Origin)).ToList();
        string? next = items.Count == take ? items[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<HistoryItem>(items, next));
    }

    public static async Task<IResult> GetChangesAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc,
        [FromQuery] string? since, [FromQuery] string? timeout, [FromQuery] string? format, [FromQuery] string? limit)
    {
        var (key, _, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Read);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TrySeq("since", since, out long sinceSeq, out var error)
            || !ApiQuery.TryTimeout(timeout, out var wait, out error)
            || !ApiQuery.TryFormat(format, out var updateFormat, out error)
            || !ApiQuery.TryLimit(limit, out int take, out error))
        {
            return ApiProblems.BadRequest(error!);
        }

        var ct = context.RequestAborted;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            // taken before the read: an update that becomes durable after the read still releases the wait
            var signal = api.Registry.Changes.Next(key);
            var log = await api.Catalog.ReadLogAsync(key, sinceSeq, take, ct);

            // seqs are contiguous, so a first row after since+1 (or none while the document went on) means rows are gone
            if (log.Count == 0 || log[0].Seq != sinceSeq + 1)
            {
                var info = await api.Catalog.GetInfoAsync(key, ct);
                if (info is null)
                {
                    return ApiProblems.DocumentNotFound(key);
                }

                if (sinceSeq < info.CompactedSeq || sinceSeq > info.LastSeq)
                {
                    return ApiProblems.Problem(410, "Gone",
                        sinceSeq > info.LastSeq
                            ? $"since={sinceSeq} is past the document's last seq {info.LastSeq} (it was deleted and created again): " +
                              "read the full state with GET .../update and follow from the X-Collab-Seq it returns."
                            : $"The updates after seq {sinceSeq} were compacted into a snapshot (up to seq {info.CompactedSeq}) and are no longer listed: " +
                              "read the full state with GET .../update and follow from the X-Collab-Seq it returns.");
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (log.Count > 0 || left <= TimeSpan.Zero)
            {
                var updates = log.Select(u => new ChangeItem(
                    u.Seq, u.ReceivedAt, u.Origin,
                    ApiQuery.Base64UrlEncode(updateFormat == UpdateFormat.V2 ? Updates.Convert(u.Payload, UpdateFormat.V1, UpdateFormat.V2) : u.Payload)))
                    .ToList();
                return TypedResults.Ok(new ChangesResponse(updates.Count > 0 ? updates[^1].Seq : sinceSeq, updates));
            }

            try
            {
                await signal.WaitAsync(left, ct);
            }
            catch (TimeoutException)
            {
                // one last read, then the empty answer
            }
        }
    }
}

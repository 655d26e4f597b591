using System.Buffers.Text;
using System.Globalization;
using Collab.Crdt;

namespace Collab.Server.Api;

/// <summary>Parses the query parameters of the REST API; each failure is a message for a 400 problem.</summary>
internal static class ApiQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxTimeoutSeconds = 60;

    public static bool TryLimit(string? text, out int limit, out string? error)
    {
        error = null;
        limit = DefaultLimit;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit)
        {
            error = $"limit must be a whole number from 1 to {MaxLimit}; got '{text}'.";
            return false;
        }

        return true;
    }

    /// <summary>A sequence number cursor (<c>after</c>, <c>since</c>): a whole number ≥ 0, 0 when absent.</summary>
    public static bool TrySeq(string name, string? text, out long seq, out string? error)
    {
        error = null;
        seq = 0;
        if (text is null)
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seq))
        {
            error = $"{name} must be a sequence number (a whole number ≥ 0); got '{text}'.";
            return false;
        }

        return true;
    }

    public static bool TryFormat(string? text, out UpdateFormat format, out string? error)
    {
        error = null;
        format = UpdateFormat.V1;
        switch (text)
        {
            case null or "v1":
                return true;
            case "v2":
                format = UpdateFormat.V2;
                return true;
            default:
                error = $"format must be v1 or v2; got '{text}'.";
                return false;
        }
    }

    public static bool TryTimeout(string? text, out TimeSpan timeout, out string? error)
    {
        error = null;
        timeout = TimeSpan.Zero;
        if (text is null)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            || seconds < 0 || seconds > MaxTimeoutSeconds)
        {
            error = $"timeout must be a number of seconds from 0 to {MaxTimeoutSeconds}; got '{text}'.";
            return false;
        }

        timeout = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>A yjs state vector in base64url (padding optional), checked to decode.</summary>
    public static bool TryStateVector(string? text, out byte[]? stateVector, out string? error)
    {
        error = null;
        stateVector = null;
        if (text is null)
        {
            return true;
        }

        try
        {
            stateVector = Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            error = "stateVector is not base64url (RFC 4648 §5: A-Z a-z 0-9 - _, padding optional); " +
                "encode Y.encodeStateVector(doc) with base64url.";
            return false;
        }

        try
        {
            // diffing the empty update reads the whole state vector
            Updates.Diff([0, 0], stateVector, UpdateFormat.V1);
        }
        catch (YjsFormatException e)
        {
            error = "stateVector is base64url but not a yjs state vector: " + e.Message;
            stateVector = null;
            return false;
        }

        return true;
    }

    public static bool TryTypes(string? text, out List<(string Name, TypeRef Kind)>? roots, out string? error)
    {
        roots = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DocJson.TryParseKinds(text, out var parsed, out error))
        {
            error = "types: " + error;
            return false;
        }

        roots = parsed;
        return true;
    }

    public static string Base64UrlEncode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}

namespace Collab.Server.Connections;

/// <summary>
/// WebSocket close codes Collab sends. Following the y-websocket client's convention, 4400–4499 mean
/// "reconnecting cannot help" (the client stops) and 4500–4599 mean "try again later".
/// </summary>
public static class CloseCodes
{
    public const int GoingAway = 1001;
    public const int UnsupportedData = 1003;
    public const int MalformedMessage = 4400;

    /// <summary>The document was deleted (REST <c>DELETE</c>); reconnecting would start a new, empty document.</summary>
    public const int DocumentDeleted = 4410;
    public const int FrameTooLarge = 4413;
    public const int UpdateTooLarge = 4414;
    public const int DocumentTooLarge = 4415;
    public const int AwarenessStateTooLarge = 4416;
    public const int TypeNestingTooDeep = 4417;
    public const int RateLimited = 4429;
    public const int DocumentUnavailable = 4500;
    public const int DocumentFull = 4503;
    public const int TooSlow = 4508;
}

using Microsoft.AspNetCore.Http;

namespace Collab.Server.Api;

/// <summary>RFC 7807 answers of the REST API; every detail says what was wrong and, where it helps, what to do.</summary>
internal static class ApiProblems
{
    public static IResult BadRequest(string detail) => Problem(400, "Bad request", detail);

    public static IResult NotFound(string detail) => Problem(404, "Not found", detail);

    public static IResult DocumentNotFound(Collab.Storage.DocumentKey key) =>
        NotFound($"Document '{key.Document}' does not exist in workspace '{key.Workspace}' (it was never stored, or was deleted).");

    public static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>401 also tells the client which scheme to use.</summary>
    public static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problem(401, "Unauthorized", detail);
    }
}

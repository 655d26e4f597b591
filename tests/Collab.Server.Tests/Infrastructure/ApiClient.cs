using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>A real HttpClient on a test server's REST API, with helpers that assert status codes and problem details.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(string baseUrl, string? token = null)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(90) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Http => _http;

    public static string DocPath(string ws, string doc) => $"/api/workspaces/{Uri.EscapeDataString(ws)}/documents/{Uri.EscapeDataString(doc)}";

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    public Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return _http.PostAsync(path, content);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> whose detail contains <paramref name="detailPart"/>.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status, string detailPart)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
        return problem;
    }

    public async Task<long> PostUpdateAsync(string ws, string doc, byte[] update, string format = "v1")
    {
        var json = await JsonAsync(await PostBytesAsync(DocPath(ws, doc) + "/update?format=" + format, update));
        return json.GetProperty("seq").GetInt64();
    }

    public async Task<string> ContentAsync(string ws, string doc, string? types = null)
    {
        var response = await GetAsync(DocPath(ws, doc) + (types is null ? string.Empty : "?types=" + Uri.EscapeDataString(types)));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    public void Dispose() => _http.Dispose();
}

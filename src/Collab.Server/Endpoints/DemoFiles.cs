using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Collab.Server.Endpoints;

/// <summary>
/// Serves the browser demo (<c>/</c>: the pipeline editor and a shared text editor, <c>/embed.html</c>, and the
/// single-script embed) from the <c>wwwroot</c> beside the assembly. Read from there rather than from the
/// content root because the content root is the working directory, which differs between
/// <c>dotnet run --project</c>, running the built dll and a container.
/// </summary>
internal static class DemoFiles
{
    public static void UseCollabDemo(this WebApplication app)
    {
        string root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            return;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
    }
}

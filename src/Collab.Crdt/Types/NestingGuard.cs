using System.Runtime.CompilerServices;

namespace Collab.Crdt;

/// <summary>
/// The check at every step of a recursive walk over nested shared types (rendering JSON or XML, deep copies):
/// a document can nest types deeper than the thread's stack allows, and running out of stack ends the process.
/// </summary>
internal static class NestingGuard
{
    public static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ThrowHelper.Invalid(YjsFormatError.LimitExceeded, "The document nests shared types too deeply to render or copy them.");
        }
    }
}

using System.Text;

namespace Collab.Crdt;

/// <summary>JavaScript's <c>String(value)</c> on the value model.</summary>
internal static class JsString
{
    public static string Of(object? v) => v switch
    {
        null => "null",
        Undefined => "undefined",
        string s => s,
        bool b => b ? "true" : "false",
        double d => JsNumber.ToString(d),
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        List<object?> list => string.Join(",", list.Select(x => x is null or Undefined ? string.Empty : Of(x))),
        byte[] bytes => string.Join(",", bytes),
        AbstractType t => t is YXmlHook or YMap or YArray ? "[object Object]" : t.ToString() ?? string.Empty,
        _ => "[object Object]",
    };
}

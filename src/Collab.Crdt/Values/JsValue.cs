using System.Collections;
using System.Numerics;

namespace Collab.Crdt;

/// <summary>Converts .NET values into the JavaScript value model that content and JSON use.</summary>
internal static class JsValue
{
    /// <summary>
    /// Numbers become <see cref="double"/> (a .NET <see cref="long"/> is a number, not a BigInt; pass a
    /// <see cref="BigInteger"/> for a BigInt), lists and arrays become <c>List&lt;object?&gt;</c>, string-keyed
    /// dictionaries become <see cref="JsObject"/>.
    /// </summary>
    /// <summary>The NaN JavaScript engines produce (.NET's double.NaN has the sign bit set).</summary>
    internal static readonly double CanonicalNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000000);

    public static object? Normalize(object? v) => v switch
    {
        double d when double.IsNaN(d) => CanonicalNaN,
        null or string or bool or double or Undefined or JsObject or byte[] => v,
        int i => (double)i,
        long l => (double)l,
        float f => float.IsNaN(f) ? CanonicalNaN : (double)f,
        short s => (double)s,
        uint u => (double)u,
        ulong ul => (double)ul,
        decimal m => (double)m,
        BigInteger b => (long)b,
        List<object?> list => NormalizeList(list),
        IDictionary<string, object?> dict => NormalizeDict(dict),
        IEnumerable e => NormalizeList(e),
        _ => throw new ArgumentException($"A value of type {v.GetType().Name} cannot be stored in a shared type."),
    };

    private static List<object?> NormalizeList(IEnumerable e)
    {
        var list = new List<object?>();
        foreach (var x in e)
        {
            list.Add(Normalize(x));
        }

        return list;
    }

    private static JsObject NormalizeDict(IDictionary<string, object?> d)
    {
        var o = new JsObject();
        foreach (var (k, v) in d)
        {
            o.Set(k, Normalize(v));
        }

        return o;
    }
}

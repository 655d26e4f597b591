namespace Collab.Crdt.Codec;

/// <summary>
/// lib0's <c>any</c>: a tag byte, then the value. 127 undefined, 126 null, 125 varInt, 124 float32,
/// 123 float64, 122 bigint64, 121 false, 120 true, 119 varString, 118 object (count, then key + any each),
/// 117 array (count, then any each), 116 varUint8Array. All multi-byte numbers are big-endian.
/// </summary>
internal static class AnyCodec
{
    public static object? Read(Lib0Decoder d) => Read(d, 0);

    private static object? Read(Lib0Decoder d, int depth)
    {
        byte tag = d.ReadUint8();
        switch (tag)
        {
            case 127: return Undefined.Value;
            case 126: return null;
            case 125:
            {
                long v = d.ReadVarInt(out bool negative);
                return negative && v == 0 ? -0.0 : (double)v;
            }

            case 124: return (double)d.ReadFloat32();
            case 123: return d.ReadFloat64();
            case 122: return d.ReadBigInt64();
            case 121: return false;
            case 120: return true;
            case 119: return d.ReadVarString();
            case 118:
            {
                CheckDepth(d, depth);
                int len = d.ReadCount();
                var obj = new JsObject();
                for (int i = 0; i < len; i++)
                {
                    string key = d.ReadVarString();
                    obj.Set(key, Read(d, depth + 1));
                }

                return obj;
            }

            case 117:
            {
                CheckDepth(d, depth);
                int len = d.ReadCount();
                var arr = new List<object?>(Math.Min(len, d.Remaining));
                for (int i = 0; i < len; i++)
                {
                    arr.Add(Read(d, depth + 1));
                }

                return arr;
            }

            case 116: return d.ReadVarUint8Array();
            default:
                return ThrowHelper.Invalid<object?>(YjsFormatError.UnknownAnyTag, $"Unknown 'any' tag {tag}.");
        }
    }

    private static void CheckDepth(Lib0Decoder d, int depth)
    {
        if (depth >= d.Limits.MaxDepth)
        {
            ThrowHelper.Limit("Nesting depth", depth + 1, d.Limits.MaxDepth);
        }
    }

    public static void Write(Lib0Encoder e, object? value)
    {
        switch (value)
        {
            case null:
                e.WriteUint8(126);
                break;
            case string s:
                e.WriteUint8(119);
                e.WriteVarString(s);
                break;
            case double n:
                WriteNumber(e, n);
                break;
            case bool b:
                e.WriteUint8(b ? (byte)120 : (byte)121);
                break;
            case long big:
                e.WriteUint8(122);
                e.WriteBigInt64(big);
                break;
            case byte[] bytes:
                e.WriteUint8(116);
                e.WriteVarUint8Array(bytes);
                break;
            case List<object?> list:
                e.WriteUint8(117);
                e.WriteVarUint((ulong)list.Count);
                foreach (var item in list)
                {
                    Write(e, item);
                }

                break;
            case JsObject obj:
                e.WriteUint8(118);
                e.WriteVarUint((ulong)obj.Count);
                foreach (var kv in obj)
                {
                    e.WriteVarString(kv.Key);
                    Write(e, kv.Value);
                }

                break;
            case Undefined:
                e.WriteUint8(127);
                break;
            case int i:
                WriteNumber(e, i);
                break;
            case float f:
                WriteNumber(e, f);
                break;
            default:
                ThrowHelper.Invalid(YjsFormatError.InvalidValue, $"A value of type {value.GetType().Name} cannot be encoded as 'any'.");
                break;
        }
    }

    // lib0: integers within 31 bits as varInt (negative zero keeps its sign), values exact in float32 as
    // float32, everything else as float64.
    private static void WriteNumber(Lib0Encoder e, double n)
    {
        if (Math.Abs(n) <= int.MaxValue && Math.Floor(n) == n)
        {
            e.WriteUint8(125);
            e.WriteVarInt((long)n, negative: n < 0 || (n == 0 && double.IsNegative(n)));
        }
        else if ((double)(float)n == n)
        {
            e.WriteUint8(124);
            e.WriteFloat32((float)n);
        }
        else
        {
            e.WriteUint8(123);
            // V8 keeps a decoded NaN's bits; values made in .NET are normalized to V8's NaN on the way in.
            e.WriteFloat64(n);
        }
    }
}

using System.Globalization;
using System.Text;

namespace Collab.Crdt;

/// <summary>
/// <c>JSON.parse</c> and <c>JSON.stringify</c> with JavaScript's exact output (number layout, key order,
/// escapes), because yjs re-encodes JSON content by parsing and stringifying it.
/// </summary>
public static class JsJson
{
    public static object? Parse(string text, int maxDepth = 128)
    {
        var p = new Parser(text, maxDepth);
        p.SkipWs();
        object? v = p.ParseValue(0);
        p.SkipWs();
        if (p.Pos != text.Length)
        {
            p.Fail("unexpected text after the value");
        }

        return v;
    }

    /// <summary>JSON.stringify; returns null where JavaScript returns undefined.</summary>
    public static string? Stringify(object? value)
    {
        if (value is Undefined)
        {
            return null;
        }

        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int depth)
    {
        if (depth > 10_000)
        {
            ThrowHelper.Invalid(YjsFormatError.LimitExceeded, "A value is nested too deeply to stringify.");
        }

        NestingGuard.EnsureStack();

        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double n:
                sb.Append(double.IsFinite(n) ? JsNumber.ToString(n) : "null");
                break;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case long:
                ThrowHelper.Invalid(YjsFormatError.InvalidValue, "A BigInt cannot be written as JSON (JSON.stringify throws on it).");
                break;
            case List<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (list[i] is Undefined)
                    {
                        sb.Append("null");
                    }
                    else
                    {
                        Write(sb, list[i], depth + 1);
                    }
                }

                sb.Append(']');
                break;
            case JsObject obj:
            {
                sb.Append('{');
                bool first = true;
                foreach (var kv in obj)
                {
                    if (kv.Value is Undefined)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, kv.Key);
                    sb.Append(':');
                    Write(sb, kv.Value, depth + 1);
                }

                sb.Append('}');
                break;
            }

            case byte[] bytes:
                // a Uint8Array stringifies as an object of its indices
                sb.Append('{');
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    sb.Append('"').Append(i).Append("\":").Append(bytes[i]);
                }

                sb.Append('}');
                break;
            case Undefined:
                sb.Append("null");
                break;
            case AbstractType type:
                // JSON.stringify calls toJSON()
                Write(sb, type.ToJson(), depth + 1);
                break;
            case Doc doc:
                Write(sb, doc.ToJson(), depth + 1);
                break;
            default:
                ThrowHelper.Invalid(YjsFormatError.InvalidValue, $"A value of type {value.GetType().Name} cannot be written as JSON.");
                break;
        }
    }

    // JSON.stringify escapes (ES2019 well-formed): the short escapes, other control characters and lone
    // surrogates as lowercase \uXXXX, everything else as it is.
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private sealed class Parser(string s, int maxDepth)
    {
        public int Pos;

        public void Fail(string what) =>
            ThrowHelper.Invalid(YjsFormatError.InvalidJson, $"Invalid JSON content at position {Pos}: {what}.");

        public void SkipWs()
        {
            while (Pos < s.Length && (s[Pos] == ' ' || s[Pos] == '\t' || s[Pos] == '\n' || s[Pos] == '\r'))
            {
                Pos++;
            }
        }

        public object? ParseValue(int depth)
        {
            if (Pos >= s.Length)
            {
                Fail("unexpected end");
            }

            char c = s[Pos];
            switch (c)
            {
                case '{': return ParseObject(depth);
                case '[': return ParseArray(depth);
                case '"': return ParseString();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }

                    Fail($"unexpected character '{c}'");
                    return null;
            }
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(s, Pos, word, 0, word.Length) != 0)
            {
                Fail($"expected {word}");
            }

            Pos += word.Length;
        }

        private void Enter(int depth)
        {
            if (depth >= maxDepth)
            {
                ThrowHelper.Limit("JSON nesting depth", depth + 1, maxDepth);
            }
        }

        private JsObject ParseObject(int depth)
        {
            Enter(depth);
            Pos++;
            var obj = new JsObject();
            SkipWs();
            if (Pos < s.Length && s[Pos] == '}')
            {
                Pos++;
                return obj;
            }

            while (true)
            {
                SkipWs();
                if (Pos >= s.Length || s[Pos] != '"')
                {
                    Fail("expected a key");
                }

                string key = ParseString();
                SkipWs();
                if (Pos >= s.Length || s[Pos] != ':')
                {
                    Fail("expected ':'");
                }

                Pos++;
                SkipWs();
                obj.Set(key, ParseValue(depth + 1));
                SkipWs();
                if (Pos < s.Length && s[Pos] == ',')
                {
                    Pos++;
                    continue;
                }

                if (Pos < s.Length && s[Pos] == '}')
                {
                    Pos++;
                    return obj;
                }

                Fail("expected ',' or '}'");
            }
        }

        private List<object?> ParseArray(int depth)
        {
            Enter(depth);
            Pos++;
            var list = new List<object?>();
            SkipWs();
            if (Pos < s.Length && s[Pos] == ']')
            {
                Pos++;
                return list;
            }

            while (true)
            {
                SkipWs();
                list.Add(ParseValue(depth + 1));
                SkipWs();
                if (Pos < s.Length && s[Pos] == ',')
                {
                    Pos++;
                    continue;
                }

                if (Pos < s.Length && s[Pos] == ']')
                {
                    Pos++;
                    return list;
                }

                Fail("expected ',' or ']'");
            }
        }

        private string ParseString()
        {
            Pos++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (Pos >= s.Length)
                {
                    Fail("unterminated string");
                }

                char c = s[Pos++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c < 0x20)
                {
                    Fail("control character in string");
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                if (Pos >= s.Length)
                {
                    Fail("unterminated escape");
                }

                char e = s[Pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (Pos + 4 > s.Length || !int.TryParse(s.AsSpan(Pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            Fail("bad \\u escape");
                            return string.Empty;
                        }

                        sb.Append((char)code);
                        Pos += 4;
                        break;
                    default:
                        Fail("bad escape");
                        break;
                }
            }
        }

        private double ParseNumber()
        {
            int start = Pos;
            if (s[Pos] == '-')
            {
                Pos++;
            }

            if (Pos < s.Length && s[Pos] == '0')
            {
                Pos++;
            }
            else if (Pos < s.Length && s[Pos] >= '1' && s[Pos] <= '9')
            {
                while (Pos < s.Length && char.IsAsciiDigit(s[Pos]))
                {
                    Pos++;
                }
            }
            else
            {
                Fail("bad number");
            }

            if (Pos < s.Length && s[Pos] == '.')
            {
                Pos++;
                int digits = Pos;
                while (Pos < s.Length && char.IsAsciiDigit(s[Pos]))
                {
                    Pos++;
                }

                if (Pos == digits)
                {
                    Fail("bad fraction");
                }
            }

            if (Pos < s.Length && (s[Pos] == 'e' || s[Pos] == 'E'))
            {
                Pos++;
                if (Pos < s.Length && (s[Pos] == '+' || s[Pos] == '-'))
                {
                    Pos++;
                }

                int digits = Pos;
                while (Pos < s.Length && char.IsAsciiDigit(s[Pos]))
                {
                    Pos++;
                }

                if (Pos == digits)
                {
                    Fail("bad exponent");
                }
            }

            return double.Parse(s.AsSpan(start, Pos - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }
}

using System.Globalization;
using System.Text;

namespace Collab.Crdt;

/// <summary>ECMAScript <c>Number::toString</c>: the shortest round-trip digits in JavaScript's layout.</summary>
public static class JsNumber
{
    public static string ToString(double v)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (v == 0)
        {
            return "0";
        }

        if (v < 0)
        {
            return "-" + ToString(-v);
        }

        if (double.IsPositiveInfinity(v))
        {
            return "Infinity";
        }

        // .NET's "R" gives the shortest round-trip digits; only their layout differs from JavaScript's.
        string r = v.ToString("R", CultureInfo.InvariantCulture);
        int ePos = r.IndexOf('E');
        string mant = ePos >= 0 ? r[..ePos] : r;
        int exp = ePos >= 0 ? int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        int dot = mant.IndexOf('.');
        string digits = dot >= 0 ? mant.Remove(dot, 1) : mant;
        int point = dot >= 0 ? dot : mant.Length;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        int k = digits.Length;
        int n = point + exp; // value = 0.digits × 10^n

        var sb = new StringBuilder(24);
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            int e = n - 1;
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}

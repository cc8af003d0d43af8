// Json.cs: a small JSON reader and a canonical writer for the tests (Debian's Mono has no JSON
// library). Objects read as SortedDictionary<string, object> (ordinal order), arrays as
// List<object>, numbers as long (or double with a fraction or exponent), plus string, bool
// and null. Write gives canonical JSON: keys sorted, no spaces, non-ASCII as is; the same text
// Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) and
// nlohmann::json::dump() give for integers, strings, booleans and null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

static class Json {
  public static object Parse(string text) {
    int at = 0;
    object value = Value(text, ref at);
    Space(text, ref at);
    if (at != text.Length)
      throw new FormatException("JSON: trailing text at " + at);
    return value;
  }

  static void Space(string s, ref int at) {
    while (at < s.Length && (s[at] == ' ' || s[at] == '\n' || s[at] == '\r' || s[at] == '\t')) ++at;
  }

  static object Value(string s, ref int at) {
    Space(s, ref at);
    if (at >= s.Length)
      throw new FormatException("JSON: unexpected end");
    char c = s[at];
    if (c == '{') {
      var obj = new SortedDictionary<string, object>(StringComparer.Ordinal);
      ++at;
      Space(s, ref at);
      if (s[at] == '}') {
        ++at;
        return obj;
      }
      while (true) {
        Space(s, ref at);
        string key = (string)Value(s, ref at);
        Space(s, ref at);
        Expect(s, ref at, ':');
        obj[key] = Value(s, ref at);
        Space(s, ref at);
        if (s[at] == ',') {
          ++at;
          continue;
        }
        Expect(s, ref at, '}');
        return obj;
      }
    }
    if (c == '[') {
      var list = new List<object>();
      ++at;
      Space(s, ref at);
      if (s[at] == ']') {
        ++at;
        return list;
      }
      while (true) {
        list.Add(Value(s, ref at));
        Space(s, ref at);
        if (s[at] == ',') {
          ++at;
          continue;
        }
        Expect(s, ref at, ']');
        return list;
      }
    }
    if (c == '"')
      return String(s, ref at);
    if (s.Substring(at).StartsWith("true")) {
      at += 4;
      return true;
    }
    if (s.Substring(at).StartsWith("false")) {
      at += 5;
      return false;
    }
    if (s.Substring(at).StartsWith("null")) {
      at += 4;
      return null;
    }
    int start = at;
    while (at < s.Length && "+-0123456789.eE".IndexOf(s[at]) >= 0) ++at;
    string number = s.Substring(start, at - start);
    if (number.Length == 0)
      throw new FormatException("JSON: unexpected '" + c + "' at " + start);
    if (number.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0)
      return double.Parse(number, CultureInfo.InvariantCulture);
    return long.Parse(number, CultureInfo.InvariantCulture);
  }

  static void Expect(string s, ref int at, char c) {
    if (at >= s.Length || s[at] != c)
      throw new FormatException("JSON: expected '" + c + "' at " + at);
    ++at;
  }

  static string String(string s, ref int at) {
    var b = new StringBuilder();
    ++at;
    while (s[at] != '"') {
      char c = s[at++];
      if (c != '\\') {
        b.Append(c);
        continue;
      }
      char e = s[at++];
      switch (e) {
        case 'n':
          b.Append('\n');
          break;
        case 't':
          b.Append('\t');
          break;
        case 'r':
          b.Append('\r');
          break;
        case 'b':
          b.Append('\b');
          break;
        case 'f':
          b.Append('\f');
          break;
        case 'u':
          b.Append((char)Convert.ToInt32(s.Substring(at, 4), 16));
          at += 4;
          break;
        default:
          b.Append(e);
          break;
      }
    }
    ++at;
    return b.ToString();
  }

  public static string Write(object value) {
    var b = new StringBuilder();
    Write(value, b);
    return b.ToString();
  }

  static void Write(object v, StringBuilder b) {
    if (v == null) {
      b.Append("null");
      return;
    }
    if (v is bool) {
      b.Append((bool)v ? "true" : "false");
      return;
    }
    if (v is string) {
      Quote((string)v, b);
      return;
    }
    if (v is long || v is int || v is ulong || v is uint) {
      b.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
      return;
    }
    var obj = v as IDictionary<string, object>;
    if (obj != null) {
      var keys = new List<string>(obj.Keys);
      keys.Sort(StringComparer.Ordinal);
      b.Append('{');
      for (int i = 0; i < keys.Count; ++i) {
        if (i > 0)
          b.Append(',');
        Quote(keys[i], b);
        b.Append(':');
        Write(obj[keys[i]], b);
      }
      b.Append('}');
      return;
    }
    var list = v as System.Collections.IEnumerable;
    if (list != null) {
      b.Append('[');
      bool first = true;
      foreach (object item in list) {
        if (!first)
          b.Append(',');
        first = false;
        Write(item, b);
      }
      b.Append(']');
      return;
    }
    throw new ArgumentException("JSON: cannot write " + v.GetType().Name + " canonically");
  }

  static void Quote(string s, StringBuilder b) {
    b.Append('"');
    foreach (char c in s) {
      switch (c) {
        case '"':
          b.Append("\\\"");
          break;
        case '\\':
          b.Append("\\\\");
          break;
        case '\n':
          b.Append("\\n");
          break;
        case '\r':
          b.Append("\\r");
          break;
        case '\t':
          b.Append("\\t");
          break;
        case '\b':
          b.Append("\\b");
          break;
        case '\f':
          b.Append("\\f");
          break;
        default:
          if (c < 0x20)
            b.Append("\\u").Append(((int)c).ToString("x4"));
          else
            b.Append(c);
          break;
      }
    }
    b.Append('"');
  }
}

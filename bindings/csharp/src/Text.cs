// Text.cs: UTF-8 text across the boundary. Going in, Utf8Scope copies strings to unmanaged
// memory that lives until the scope is disposed (after the call). Coming out, strings are
// copied from the library's bytes: borrowed upk_str, static const char*, or an owned char*
// that Take frees with upk_string_free.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Upkeep.Interop {

  internal sealed class Utf8Scope : IDisposable {
    private readonly List<IntPtr> blocks_ = new List<IntPtr>();

    public Str S(string text) {
      Str s;
      if (string.IsNullOrEmpty(text)) {
        s.Data = IntPtr.Zero;
        s.Size = UIntPtr.Zero;
        return s;
      }
      byte[] bytes = Encoding.UTF8.GetBytes(text);
      IntPtr block = Marshal.AllocHGlobal(bytes.Length);
      blocks_.Add(block);
      Marshal.Copy(bytes, 0, block, bytes.Length);
      s.Data = block;
      s.Size = (UIntPtr)bytes.Length;
      return s;
    }

    public void Dispose() {
      foreach (IntPtr block in blocks_) Marshal.FreeHGlobal(block);
      blocks_.Clear();
    }
  }

  internal static class Text {
    public static string From(Str s) {
      int size = checked((int)s.Size.ToUInt64());
      if (size == 0)
        return "";
      byte[] bytes = new byte[size];
      Marshal.Copy(s.Data, bytes, 0, size);
      return Encoding.UTF8.GetString(bytes);
    }

    // A NUL-terminated string the library keeps (static or thread-local storage).
    public static string FromStatic(IntPtr p) {
      if (p == IntPtr.Zero)
        return "";
      int size = 0;
      while (Marshal.ReadByte(p, size) != 0) ++size;
      byte[] bytes = new byte[size];
      Marshal.Copy(p, bytes, 0, size);
      return Encoding.UTF8.GetString(bytes);
    }

    // A string the library allocated for a char** out-parameter: copied, then freed.
    public static string Take(IntPtr p) {
      try {
        return FromStatic(p);
      } finally {
        Native.upk_string_free(p);
      }
    }

    public static byte[] NulTerminated(string text) {
      return Encoding.UTF8.GetBytes((text ?? "") + "\0");
    }

    // The 4 bytes of an ISO code ("CNY"), as upk_money holds them.
    public static int CurrencyCode(string code) {
      byte[] bytes = new byte[4];
      Encoding.ASCII.GetBytes(code, 0, Math.Min(code.Length, 3), bytes, 0);
      return BitConverter.ToInt32(bytes, 0);
    }
  }

}  // namespace Upkeep.Interop

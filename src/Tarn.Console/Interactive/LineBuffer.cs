using System.Text;

namespace Tarn.Console.Interactive;

/// <summary>The text being edited and the cursor in it (a UTF-16 index that never splits a surrogate pair).</summary>
internal sealed class LineBuffer
{
    private readonly StringBuilder _text = new();

    public string Text => _text.ToString();
    public int Cursor { get; private set; }
    public int Length => _text.Length;

    public void Set(string text)
    {
        _text.Clear().Append(text);
        Cursor = text.Length;
    }

    public void Insert(char ch)
    {
        _text.Insert(Cursor, ch);
        Cursor++;
    }

    public void Backspace()
    {
        if (Cursor == 0) return;
        var start = StepBack(Cursor);
        _text.Remove(start, Cursor - start);
        Cursor = start;
    }

    public void Delete()
    {
        if (Cursor == _text.Length) return;
        _text.Remove(Cursor, StepForward(Cursor) - Cursor);
    }

    public void Left() => Cursor = Cursor == 0 ? 0 : StepBack(Cursor);
    public void Right() => Cursor = Cursor == _text.Length ? Cursor : StepForward(Cursor);
    public void Home() => Cursor = 0;
    public void End() => Cursor = _text.Length;

    public void WordLeft() => Cursor = PreviousWordStart();

    public void WordRight()
    {
        var i = Cursor;
        while (i < _text.Length && !IsWordChar(_text[i])) i++;
        while (i < _text.Length && IsWordChar(_text[i])) i++;
        Cursor = i;
    }

    public void KillToStart()
    {
        _text.Remove(0, Cursor);
        Cursor = 0;
    }

    public void KillToEnd() => _text.Remove(Cursor, _text.Length - Cursor);

    public void DeleteWordBefore()
    {
        var start = PreviousWordStart();
        _text.Remove(start, Cursor - start);
        Cursor = start;
    }

    private int PreviousWordStart()
    {
        var i = Cursor;
        while (i > 0 && !IsWordChar(_text[i - 1])) i--;
        while (i > 0 && IsWordChar(_text[i - 1])) i--;
        return i;
    }

    private int StepBack(int i) => i >= 2 && char.IsLowSurrogate(_text[i - 1]) && char.IsHighSurrogate(_text[i - 2]) ? i - 2 : i - 1;

    private int StepForward(int i) => i + 1 < _text.Length && char.IsHighSurrogate(_text[i]) && char.IsLowSurrogate(_text[i + 1]) ? i + 2 : i + 1;

    private static bool IsWordChar(char ch) => char.IsLetterOrDigit(ch) || ch == '_';
}

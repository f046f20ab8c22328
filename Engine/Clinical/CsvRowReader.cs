using System.Text;

namespace Nccid.Batch.Clinical;

/// <summary>
/// Reads CSV (RFC 4180: comma-separated, fields optionally in double quotes, "" for a quote inside, line
/// breaks allowed inside quotes) one row at a time, so a large export is never held whole. An unquoted empty
/// cell is null (no value); a quoted empty cell <c>""</c> is empty text, as PostgreSQL's COPY reads them.
/// </summary>
internal sealed class CsvRowReader
{
    private readonly TextReader _reader;
    private int _line = 1;

    public CsvRowReader(TextReader reader) => _reader = reader;

    /// <summary>
    /// True when the last row read ended at the end of the file inside a quoted cell: its opening quote was never
    /// closed, so the rest of the file was read into that cell.
    /// </summary>
    public bool EndedInsideQuotes { get; private set; }

    /// <summary>Reads the next row; false at the end. <paramref name="line"/> is the row's first line (1-based).</summary>
    public bool TryRead(out List<string?> cells, out int line)
    {
        cells = [];
        line = _line;
        if (_reader.Peek() < 0)
        {
            return false;
        }

        var cell = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            var next = _reader.Read();
            if (next < 0)
            {
                EndedInsideQuotes = quoted;
                cells.Add(Cell(cell, wasQuoted));
                return true;
            }

            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',')
            {
                cells.Add(Cell(cell, wasQuoted));
                cell.Clear();
                wasQuoted = false;
            }
            else if (c == '\r' && _reader.Peek() == '\n')
            {
                // The '\n' ends the row on the next read.
            }
            else if (c == '\n')
            {
                _line++;
                cells.Add(Cell(cell, wasQuoted));
                return true;
            }
            else
            {
                cell.Append(c);
            }
        }
    }

    private static string? Cell(StringBuilder cell, bool quoted) => cell.Length == 0 && !quoted ? null : cell.ToString();
}

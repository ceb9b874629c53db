/**
 * A small terminal emulator for tests of output that redraws itself: it keeps a screen of `columns` × `rows` and a
 * scrollback, as tmux does, for the escapes certkeeper writes — cursor up/down, erase line, erase below — and
 * wraps and scrolls like a VT100. An erase below from the top-left corner is a clear-screen: like tmux's
 * scroll-on-clear, it moves the screen into the scrollback, so a test sees the copies such a redraw leaves.
 * `\n` is a new line (a terminal's output processing turns it into CR LF). Characters are one column each.
 */
export class VirtualTerminal {
  readonly scrollback: string[] = [];
  cursorVisible = true;
  /** Clear-screens seen (erase below from the top-left corner, or erase all). */
  clears = 0;
  private readonly grid: string[][];
  private row = 0;
  private column = 0;
  /** The last column was written: the next character goes to the next line first. */
  private pendingWrap = false;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => this.blank());
  }

  /** A stream for the code under test: `columns`, `rows`, `isTTY`, and `write` into this terminal. */
  stream(): NodeJS.WriteStream {
    return {
      isTTY: true,
      columns: this.columns,
      rows: this.rows,
      write: (chunk: string | Uint8Array) => {
        this.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      },
    } as unknown as NodeJS.WriteStream;
  }

  /** The screen's lines, trailing blanks removed (trailing empty lines too). */
  get screen(): string[] {
    return trimLines(this.grid.map((cells) => cells.join('').trimEnd()));
  }

  /** The scrollback then the screen: what `tmux capture-pane -S -` prints. */
  get history(): string[] {
    return trimLines([...this.scrollback, ...this.grid.map((cells) => cells.join('').trimEnd())]);
  }

  write(data: string): void {
    const chars = [...data];
    for (let index = 0; index < chars.length; index++) {
      const char = chars[index]!;
      if (char === '\u001B') {
        const match = /^\[(\??)([\d;]*)([A-Za-z])/.exec(chars.slice(index + 1, index + 20).join(''));
        if (!match)
          throw new Error(`unsupported escape at ${JSON.stringify(chars.slice(index, index + 10).join(''))}`);
        this.escape(match[1]!, match[2]!, match[3]!);
        index += match[0].length;
      } else if (char === '\n') {
        this.column = 0;
        this.lineFeed();
      } else if (char === '\r') {
        this.column = 0;
        this.pendingWrap = false;
      } else if (char >= ' ') {
        this.print(char);
      }
    }
  }

  private escape(private_: string, params: string, final: string): void {
    const n = Number(params || '1');
    if (private_ === '?') {
      if (params === '25') this.cursorVisible = final === 'h';
      return; // synchronized output (2026) and the like change nothing on screen
    }
    this.pendingWrap = false;
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        return;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        return;
      case 'K':
        if (params === '2') this.grid[this.row] = this.blank();
        else for (let c = this.column; c < this.columns; c++) this.grid[this.row]![c] = ' ';
        return;
      case 'J':
        if (params === '2' || (params === '' && this.row === 0 && this.column === 0)) {
          this.clears++;
          this.scrollback.push(...trimLines(this.grid.map((cells) => cells.join('').trimEnd())));
          for (let r = 0; r < this.rows; r++) this.grid[r] = this.blank();
          return;
        }
        for (let c = this.column; c < this.columns; c++) this.grid[this.row]![c] = ' ';
        for (let r = this.row + 1; r < this.rows; r++) this.grid[r] = this.blank();
        return;
      case 'H':
        this.row = 0;
        this.column = 0;
        return;
      default:
        throw new Error(`unsupported escape ESC[${params}${final}`);
    }
  }

  private print(char: string): void {
    if (this.pendingWrap) {
      this.column = 0;
      this.lineFeed();
    }
    this.grid[this.row]![this.column] = char;
    if (this.column === this.columns - 1) this.pendingWrap = true;
    else this.column++;
  }

  private lineFeed(): void {
    this.pendingWrap = false;
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    this.scrollback.push(this.grid.shift()!.join('').trimEnd());
    this.grid.push(this.blank());
  }

  private blank(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }
}

function trimLines(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return lines.slice(0, end);
}

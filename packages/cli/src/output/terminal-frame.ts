const ESC = '\u001B[';
/** Terminals that support it draw a frame at once (no flicker); others ignore the sequence. */
const BEGIN_SYNC = `${ESC}?2026h`;
const END_SYNC = `${ESC}?2026l`;
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
/** Erase the cursor's whole line, then write on it. */
const ERASE_LINE = `${ESC}2K`;

/**
 * A block of lines redrawn in place at the bottom of a terminal, with permanent lines written above it. A redraw
 * moves the cursor up over the previous frame and rewrites exactly the rows the frame had: each line is erased
 * and written, rows left over are erased one by one. Never an erase-to-end-of-screen: from the top row that is a
 * clear-screen, which tmux (scroll-on-clear) and other terminals copy into the scrollback — a copy per redraw.
 *
 * Every line must fit the terminal's width (the caller lays them out): a longer one is cut into rows here, so the
 * frame's height in rows is always known. Written with ANSI escapes directly rather than with log-update, whose
 * 7.x line-diffing overwrote the line below one inserted in the middle of a frame.
 */
export class TerminalFrame {
  /** Terminal rows the current frame occupies. */
  private rows = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  get width(): number {
    return Math.max(1, this.out.columns ?? 80);
  }

  /** Terminal rows there are; a frame taller than this could not be moved over any more. */
  get height(): number {
    return Math.max(2, this.out.rows ?? 24);
  }

  /**
   * Write `permanent` where the frame was (it stays, and scrolls into the scrollback like any output), then the
   * new frame below it; an empty frame leaves the cursor visible below the permanent lines.
   */
  draw(frame: readonly string[], permanent: readonly string[] = []): void {
    const rows = [...permanent, ...frame].flatMap((line) => this.cut(line));
    const frameRows = frame.flatMap((line) => this.cut(line)).length;
    let text = BEGIN_SYNC + (this.rows > 0 ? `\r${ESC}${this.rows}A` : '');
    for (const row of rows) text += `${ERASE_LINE}${row}\n`;
    const leftover = this.rows - rows.length;
    if (leftover > 0) {
      text += `${ERASE_LINE}\n`.repeat(leftover);
      text += `${ESC}${leftover}A`;
    }
    text += (frameRows > 0 ? HIDE_CURSOR : SHOW_CURSOR) + END_SYNC;
    this.out.write(text);
    this.rows = frameRows;
  }

  /** Leave the frame on screen as ordinary output; the next `draw` starts below it. */
  done(): void {
    this.rows = 0;
    this.out.write(SHOW_CURSOR);
  }

  /** Erase the cursor's line: the terminal echoed `^C` there when Ctrl-C was pressed. */
  eraseLine(): void {
    this.out.write(`\r${ERASE_LINE}`);
  }

  /** A line as the rows it takes: cut at the width (a terminal would wrap it there). */
  private cut(line: string): string[] {
    const chars = [...line];
    if (chars.length <= this.width) return [line];
    const rows: string[] = [];
    for (let start = 0; start < chars.length; start += this.width)
      rows.push(chars.slice(start, start + this.width).join(''));
    return rows;
  }
}

const ESC = '\u001B[';
/** Terminals that support it draw a frame at once (no flicker); others ignore the sequence. */
const BEGIN_SYNC = `${ESC}?2026h`;
const END_SYNC = `${ESC}?2026l`;

/**
 * A block of lines redrawn in place at the bottom of a terminal: move the cursor up over the previous frame,
 * erase to the end of the screen, write the new one. Written directly with ANSI escapes rather than with
 * log-update, whose 7.x line-diffing overwrote the line below one inserted in the middle of a frame (a nameserver
 * line appearing under "propagation" hid "validation").
 */
export class TerminalFrame {
  /** Terminal rows the current frame occupies (a long line wraps onto several). */
  private rows = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  render(text: string): void {
    const lines = text.split('\n');
    const width = Math.max(1, this.out.columns ?? 80);
    this.out.write(`${BEGIN_SYNC}${this.erase()}${ESC}?25l${lines.join('\n')}\n${END_SYNC}`);
    this.rows = lines.reduce((sum, line) => sum + Math.max(1, Math.ceil([...line].length / width)), 0);
  }

  /** Remove the frame (to print a permanent line above the next one). */
  clear(): void {
    if (this.rows === 0) return;
    this.out.write(this.erase());
    this.rows = 0;
  }

  /** Leave the frame on screen as ordinary output; the next `render` starts below it. */
  done(): void {
    this.rows = 0;
    this.out.write(`${ESC}?25h`);
  }

  /** Erase the cursor's line: the terminal echoed `^C` there when Ctrl-C was pressed. */
  eraseLine(): void {
    this.out.write(`\r${ESC}2K`);
  }

  private erase(): string {
    return this.rows > 0 ? `\r${ESC}${this.rows}A${ESC}J` : '';
  }
}

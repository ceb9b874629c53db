import { homedir } from 'node:os';

/**
 * The width to lay text out in: the terminal's columns, else $COLUMNS, else 80 (a pipe, cron mail). Never less
 * than 40, where no layout helps any more.
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const columns = stream.isTTY && stream.columns ? stream.columns : Number(env.COLUMNS);
  return Math.max(40, Number.isFinite(columns) && columns > 0 ? Math.floor(columns) : 80);
}

/**
 * Words wrapped to `width`: the first line starts at `firstIndent` columns in, later ones at `indent`. A word
 * longer than a line is cut, so no line is ever wider than `width`.
 */
export function wrapText(text: string, width: number, indent: number, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = '';
  let room = width - firstIndent;
  const flush = () => {
    lines.push(line);
    line = '';
    room = width - indent;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    if (line && line.length + 1 + rest.length > room) flush();
    while (rest.length > room) {
      if (line) flush();
      line = rest.slice(0, room);
      rest = rest.slice(room);
      flush();
    }
    if (rest) line = line ? `${line} ${rest}` : rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((text, index) => `${' '.repeat(index === 0 ? firstIndent : indent)}${text}`);
}

/**
 * A path for people: under the working directory as `./…`, under the home directory as `~/…`, and the middle
 * elided with `…` when it is still wider than `width`.
 */
export function shortPath(path: string, width: number, home: string = homedir(), cwd = ''): string {
  const under = (base: string) => base && base !== '/' && path.startsWith(`${base}/`);
  const shown = under(cwd)
    ? `.${path.slice(cwd.length)}`
    : under(home)
      ? `~${path.slice(home.length)}`
      : path;
  if (shown.length <= width) return shown;
  const keep = width - 1;
  const tail = Math.ceil(keep * 0.6);
  return `${shown.slice(0, keep - tail)}…${shown.slice(shown.length - tail)}`;
}

import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type ConfigPath = ReadonlyArray<string | number>;

/** `certificates[0].names` — how a key is named in messages. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path)
    text += typeof segment === 'number' ? `[${segment}]` : `${text ? '.' : ''}${segment}`;
  return text || '(top level)';
}

/**
 * The parsed YAML document of a config file, kept so every later error — schema, secret, plugin option — can
 * name the file, line and column of the key it is about.
 */
export class ConfigSource {
  constructor(
    readonly file: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * `file:line:column` of a key: the key itself when `atKey` (an unknown key), else its value; for a missing key
   * the closest existing parent.
   */
  where(path: ConfigPath, atKey = false): string {
    const node = this.locate(path, atKey);
    if (!node?.range) return this.file;
    const { line, col } = this.lines.linePos(node.range[0]);
    return `${this.file}:${line}:${col}`;
  }

  private locate(path: ConfigPath, atKey: boolean): Node | undefined {
    let node: unknown = this.document.contents;
    let found: Node | undefined = (node as Node | null) ?? undefined;
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
        if (!pair) return found;
        const key = pair.key as Node;
        const value = pair.value as Node | null;
        // A key without a value (`name:`) has an empty scalar as value, placed after the colon.
        found = last && (atKey || !value?.range || value.range[0] === value.range[1]) ? key : (value ?? key);
        node = value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        node = node.items[segment];
        found = node as Node;
      } else {
        return found;
      }
    }
    return found;
  }
}

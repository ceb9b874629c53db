import { CST, type Document, isAlias, isCollection, Lexer, visit } from 'yaml';

/** Most aliases (`*name`) a configuration may use: a few are handy, an alias bomb needs dozens. */
export const MAX_YAML_ALIASES = 32;
/** Deepest nesting of mappings and lists; certkeeper's own keys go 5 levels deep. */
export const MAX_YAML_DEPTH = 32;

/** Tokens yaml's lexer adds that are not in the source: document start, flow error end, scalar mark. */
const LEXER_CONTROL_TOKENS: ReadonlySet<string> = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/** A limit a document breaks, with the source offset to name in the message. */
export interface LimitBreach {
  readonly offset: number;
  readonly message: string;
}

/**
 * Flow collections (`[[[[…`) nested deeper than {@link MAX_YAML_DEPTH}, found with yaml's lexer before the
 * document is composed: the composer recurses per level, so a megabyte of brackets would cost seconds.
 * Control tokens the lexer adds (document start, scalar marks) are not in the source and do not move the offset.
 */
export function flowDepthBreach(text: string): LimitBreach | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > MAX_YAML_DEPTH) return { offset, message: nestingMessage() };
    } else if (token === ']' || token === '}') {
      depth = Math.max(0, depth - 1);
    }
    if (!LEXER_CONTROL_TOKENS.has(token)) offset += token.length;
  }
  return undefined;
}

/**
 * The first alias past {@link MAX_YAML_ALIASES}, or the first collection nested deeper than
 * {@link MAX_YAML_DEPTH}, in a composed document. Checked before `toJS`, which would expand every alias (the
 * "billion laughs" bomb) and throw a bare ReferenceError when yaml's own expansion limit trips.
 */
export function documentBreach(document: Document): LimitBreach | undefined {
  let aliases = 0;
  let breach: LimitBreach | undefined;
  visit(document, (_key, node, path) => {
    if (isAlias(node) && !node.resolve(document)) {
      breach = {
        offset: node.range?.[0] ?? 0,
        message: `the alias *${node.source} names no anchor (&${node.source}) before it`,
      };
      return visit.BREAK;
    }
    if (isAlias(node) && ++aliases > MAX_YAML_ALIASES) {
      breach = {
        offset: node.range?.[0] ?? 0,
        message: `more than ${MAX_YAML_ALIASES} aliases (*name); a configuration needs few, and many are the mark of an alias bomb`,
      };
      return visit.BREAK;
    }
    if (isCollection(node) && path.filter(isCollection).length >= MAX_YAML_DEPTH) {
      breach = { offset: node.range?.[0] ?? 0, message: nestingMessage() };
      return visit.BREAK;
    }
    return undefined;
  });
  return breach;
}

function nestingMessage(): string {
  return `nested more than ${MAX_YAML_DEPTH} levels deep; certkeeper's keys need 5`;
}

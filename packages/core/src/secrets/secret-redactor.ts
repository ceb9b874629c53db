import { encodedForms } from './secret-encodings.js';

/** What replaces a secret in any text the redactor scrubs. */
export const REDACTED = '[redacted]';

/**
 * Values shorter than this are not registered: they cannot be told apart from ordinary words, and scrubbing
 * them would garble every message. No real credential is that short.
 */
export const MIN_SECRET_LENGTH = 6;

/** Encoded forms shorter than this are skipped for the same reason (the raw value is always kept). */
const MIN_FORM_LENGTH = 8;

/**
 * The secrets this process knows — HMAC keys, API tokens, TSIG secrets, passwords resolved from a config file, the
 * environment or a flag — and the one function every sink runs text through before it leaves the process: a log
 * line, an error printed, `--json`, `status`, a store record. Secrets are values, not field names, so a value that
 * came back inside a provider's error text is caught too, in the encodings a provider may echo (see
 * encodedForms).
 *
 * Safe to share: register and redact only touch in-memory state. One instance per process is the rule
 * (`processSecretRedactor()`); composition roots hand it to whoever writes text out.
 */
export class SecretRedactor {
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  /** Remember a secret (and its encoded forms); values under {@link MIN_SECRET_LENGTH} are ignored. */
  register(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    const before = this.#forms.size;
    for (const form of encodedForms(value))
      if (form === value || form.length >= MIN_FORM_LENGTH) this.#forms.add(form);
    if (this.#forms.size !== before) this.#pattern = undefined;
  }

  /** How many forms are known (for tests and diagnostics). */
  get size(): number {
    return this.#forms.size;
  }

  /** The text with every known secret form replaced by {@link REDACTED}. */
  redact(text: string): string {
    if (this.#forms.size === 0 || text.length === 0) return text;
    this.#pattern ??= new RegExp(
      [...this.#forms]
        .sort((a, b) => b.length - a.length)
        .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(this.#pattern, REDACTED);
  }

  /**
   * A copy of a JSON-like value (a store record, a report) with every string scrubbed; other values as they are.
   * Object keys are kept: they are field names, not secrets.
   */
  redactValue<T>(value: T): T {
    if (this.#forms.size === 0) return value;
    return this.#scrub(value) as T;
  }

  #scrub(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#scrub(item));
    if (value === null || typeof value !== 'object' || !isPlainObject(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.#scrub(item)]));
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const PROCESS_KEY = Symbol.for('certkeeper.secretRedactor');

/**
 * The process's redactor: the same instance for every copy of @certkeeper/core loaded in the process (a plugin
 * installed beside the CLI may bring its own copy), so a secret a plugin registers is scrubbed by the CLI's
 * sinks too. Composition roots (the CLI, `createCertkeeperContainer`, a plugin's factory used as a library) take
 * it as the default; the engine never looks it up — it is handed what it needs.
 */
export function processSecretRedactor(): SecretRedactor {
  const holder = globalThis as { [PROCESS_KEY]?: SecretRedactor };
  holder[PROCESS_KEY] ??= new SecretRedactor();
  return holder[PROCESS_KEY];
}

/**
 * Whether an option or variable name says it holds a credential (`apiToken`, `keySecret`, `AWS_SECRET_ACCESS_KEY`,
 * `X-API-Key`): used where no descriptor marks secrets, such as a hook's environment.
 */
export function looksLikeSecretName(name: string): boolean {
  return /secret|passw(or)?d|token|api[-_]?key|hmac|private[-_]?key|credential/i.test(name);
}

import type { SecretRedactor } from '@certkeeper/core';

/**
 * The stream with every written string run through the redactor first: stdout and stderr of the CLI, so no
 * reporter, warning, `--json` line, `status` table or log line can print a secret certkeeper knows. Everything
 * else (`columns`, `isTTY`, events) is the stream's own.
 */
export function redactingStream<T extends NodeJS.WritableStream>(stream: T, redactor: SecretRedactor): T {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stream.write as (...args: unknown[]) => boolean)(
      typeof chunk === 'string'
        ? redactor.redact(chunk)
        : chunk instanceof Uint8Array
          ? redactor.redact(Buffer.from(chunk).toString('utf8'))
          : chunk,
      ...rest,
    );
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

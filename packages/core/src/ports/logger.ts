/**
 * A structured logger, call-compatible with pino: `logger.info({ orderUrl }, 'order created')`.
 * Implementations MUST NOT be given secrets; certkeeper never passes keys, HMAC keys or tokens to a logger.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => {};
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

export const LoggerToken = Symbol.for('certkeeper.Logger');

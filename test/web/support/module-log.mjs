// Preloaded with --import: records every module a process resolves into $CERTKEEPER_MODULE_LOG, so a test can
// tell whether a command loaded a package (the CLI's cold start must not load @certkeeper/web).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.CERTKEEPER_MODULE_LOG)}, resolved.url + '\\n');
  return resolved;
}`)}`,
);

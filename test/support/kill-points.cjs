'use strict';
// A preload (NODE_OPTIONS=--require=<this file>) that SIGKILLs the process right before a chosen filesystem
// write, so crash tests kill a real process at a real write point instead of throwing in-process.
//
//   CERTKEEPER_KILL_TRACE=<file>  append "<n> <op> <path>" for every counted write point (find the points first)
//   CERTKEEPER_KILL_AT=<n>        SIGKILL before the n-th counted write point (1-based); nothing else changes
//   CERTKEEPER_KILL_OPS=<a,b>     which operations count (default rename,unlink,rm,rmdir,symlink)
//   CERTKEEPER_KILL_MATCH=<text>  count only points whose path (either path of a rename) contains <text>
//
// Promise, callback and sync forms of each operation are wrapped, and ESM named imports of node:fs and
// node:fs/promises are re-synced, so `import { rename } from 'node:fs/promises'` is caught too.
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const killAt = Number(process.env.CERTKEEPER_KILL_AT || 0);
const traceFile = process.env.CERTKEEPER_KILL_TRACE;
const ops = new Set((process.env.CERTKEEPER_KILL_OPS || 'rename,unlink,rm,rmdir,symlink').split(','));
const match = process.env.CERTKEEPER_KILL_MATCH;
// The trace is written with the original, unwrapped appendFileSync, captured before any wrapping.
const appendFileSync = fs.appendFileSync;
let count = 0;

function point(op, paths) {
  if (!ops.has(op)) return;
  const shown = paths.map((path) => (path instanceof URL ? path.pathname : String(path)));
  if (match && !shown.some((path) => path.includes(match))) return;
  count += 1;
  if (traceFile) appendFileSync(traceFile, `${count} ${op} ${shown.join(' ')}\n`);
  if (killAt === count) process.kill(process.pid, 'SIGKILL');
}

function wrap(target, name, op, arity) {
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function killPoint(...args) {
    point(op, args.slice(0, arity));
    return original.apply(this, args);
  };
}

for (const [name, op, arity] of [
  ['rename', 'rename', 2],
  ['unlink', 'unlink', 1],
  ['rm', 'rm', 1],
  ['rmdir', 'rmdir', 1],
  ['symlink', 'symlink', 2],
  ['link', 'link', 2],
  ['writeFile', 'writeFile', 1],
  ['mkdir', 'mkdir', 1],
  ['appendFile', 'appendFile', 1],
]) {
  wrap(fs.promises, name, op, arity);
  wrap(fs, name, op, arity);
  wrap(fs, `${name}Sync`, op, arity);
}
syncBuiltinESMExports();

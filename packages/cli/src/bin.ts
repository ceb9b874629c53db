#!/usr/bin/env node
import { ignoreClosedPipes } from './runtime/closed-pipe.js';
import { enableModuleCompileCache } from './runtime/compile-cache.js';
import { tuneV8ForOneOffOrder } from './runtime/one-off-v8-flags.js';

// Before anything else allocates or compiles: V8 would grow its young generation during start-up (see the function).
tuneV8ForOneOffOrder();
// Before anything else loads, so every module after this point comes from the compile cache when it can.
enableModuleCompileCache();
ignoreClosedPipes();
const { main } = await import('./main.js');
const code = await main(process.argv);
process.exitCode = code;
// Let stdout drain normally; if a forgotten handle kept the process alive, still end — cron must not hang.
setTimeout(() => process.exit(code), 2000).unref();

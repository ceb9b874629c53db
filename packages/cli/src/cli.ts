#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv);
process.exitCode = code;
// Let stdout drain normally; if a forgotten handle kept the process alive, still end — cron must not hang.
setTimeout(() => process.exit(code), 2000).unref();

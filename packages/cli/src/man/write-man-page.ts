// Writes certkeeper(1) at build time (`pnpm --filter certkeeper build`): node dist/man/write-man-page.js <file>.
import { writeFile } from 'node:fs/promises';
import { commandModel } from '../completion/command-model.js';
import { buildProgram } from '../program.js';
import { version } from '../version.js';
import { manPage } from './man-page.js';

const target = process.argv[2];
if (!target) throw new Error('usage: node dist/man/write-man-page.js <output file>');
await writeFile(target, manPage(commandModel(buildProgram({ code: 0 })), version));

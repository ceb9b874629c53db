import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCa } from './cli-harness.js';

export interface NotedRecord {
  readonly action: string;
  readonly fqdn: string;
  readonly value: string;
}

export interface NotedDns01 {
  /** A `solvers:` entry (YAML, indented like caConfig's solvers) answering dns-01 for `zone`. */
  readonly solverYaml: string;
  /** Publish in Pebble's nameserver every record the plugin was asked to present; returns them. */
  publish(): Promise<NotedRecord[]>;
}

/**
 * dns-01 through the exec plugin whose program only notes the TXT records it is asked for: nothing is published
 * until the test says so, so an order waits in its propagation step — with the nameserver's state on display —
 * for as long as the test needs. The propagation check and Pebble's VA both ask pebble-challtestsrv.
 */
export async function notedDns01(dir: string, ca: TestCa, zone: string): Promise<NotedDns01> {
  const program = join(dir, 'note-txt.mjs');
  const notes = join(dir, `txt-notes-${zone}.jsonl`);
  await writeFile(
    program,
    `import { appendFileSync } from 'node:fs';
const [action, fqdn, value] = process.argv.slice(2);
appendFileSync(process.env.TXT_NOTES, JSON.stringify({ action, fqdn, value }) + '\\n');
`,
  );
  return {
    solverYaml: `  - type: dns-01
    provider: exec
    options:
      program: ${process.execPath}
      programArgs: [${program}]
      env: { TXT_NOTES: ${notes} }
    zones: [${zone}]
    nameservers: [127.0.0.1:${ca.pebble.dnsPort}]
`,
    async publish() {
      const presented = (await readFile(notes, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as NotedRecord)
        .filter((note) => note.action === 'present');
      for (const note of presented) await ca.pebble.challtestsrv.addTxt(note.fqdn, note.value);
      return presented;
    },
  };
}

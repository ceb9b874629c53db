// The built `certkeeper renew` finding an issuance a killed run did not finish: the certificate stored, the
// finished order (certificate and key) still there. It must finish the commit — report the issuance, remove the
// order, count nothing twice — without asking the CA anything; the fresh-only fast path must not hide it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OrderState, prepareOrder } from '@certkeeper/core';
import { FileStore } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  significantRequests,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('unfinished-commit');
  ca = await startTestCa(dir);
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(ca, './data', 'certificates:\n  - names: [commit.cli.test]\n'),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

describe('certkeeper renew after a run killed between storing a certificate and removing its order', () => {
  it('reports the issuance once, removes the order, sends nothing to the CA; the next renew is fresh', async () => {
    const first = await certkeeper('renew');
    expect(first.code, explain(first)).toBe(4);

    // What a kill right after putCertificate leaves: the certificate stored, and the finished order holding it.
    const store = await FileStore.open({ directory: join(dir, 'data') });
    const [record] = await store.listCertificates();
    const base = await prepareOrder({
      directoryUrl: record!.directoryUrl,
      accountUrl: record!.accountUrl,
      identifiers: record!.identifiers,
    });
    const madeAt = new Date(Date.parse(record!.issuedAt) - 60_000).toISOString(); // the order predates its commit
    const finished: OrderState = {
      ...base,
      createdAt: madeAt,
      phaseStartedAt: madeAt,
      phase: 'done',
      certificateKeyPem: record!.keyPem,
      certificate: { url: `${ca.proxy.url}/certZ/left-behind`, pem: record!.certificatePem },
    };
    await store.putOrder({ key: record!.key, state: finished, updatedAt: new Date().toISOString() }, 0);

    ca.proxy.clearLog();
    const resumed = await certkeeper('renew', '--json');
    expect(resumed.code, explain(resumed)).toBe(4);
    const outcome = jsonLines(resumed.stdout).find((line) => line.event === 'outcome');
    expect(outcome).toMatchObject({ type: 'issued', due: 'resumed', serial: record!.serialNumberHex });
    expect(outcome?.reason).toMatch(
      /by an earlier run that stopped before storing it .*; stored now, nothing ordered/,
    );
    expect(significantRequests(ca.proxy)).toEqual([]);
    expect(await store.getOrder(record!.key)).toBeUndefined();
    const counted = await store.queryLedger({
      directoryUrl: record!.directoryUrl,
      since: new Date(0).toISOString(),
      kinds: ['certificate'],
    });
    expect(counted.filter((event) => event.detail === `serial ${record!.serialNumberHex}`)).toHaveLength(1);
    await store.close();

    const again = await certkeeper('renew');
    expect(again.code, explain(again)).toBe(0);
    expect(again.stdout).toMatch(/commit\.cli\.test: fresh/);
  });
});

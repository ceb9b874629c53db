import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HARNESS_USER_AGENT, startPebble } from '@certkeeper/testkit';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until no pid is alive, so a slow kernel does not make the test flaky; fails after `ms`. */
async function expectAllGone(pids: (number | undefined)[], ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(pids.filter(alive)).toEqual([]);
}

/** Starts a harness in a child Node process; resolves with what it reported once Pebble is up. */
function startInChild(mode: 'exit' | 'wait') {
  const script = fileURLToPath(new URL('./support/harness-child.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@certkeeper/source', '--import', 'tsx', script, mode],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const report = new Promise<{ pids: { pebble: number; challtestsrv: number }; configDir: string }>(
    (resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(JSON.parse(output.split('\n')[0]!));
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) =>
        reject(new Error(`harness child exited ${code} before reporting: ${output}`)),
      );
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, report, exited };
}

describe('harness lifecycle', () => {
  it('stop() kills both servers, closes their ports, removes the config dir, and can be called twice', async () => {
    const pebble = await startPebble();
    const { pids, configDir, directoryUrl } = pebble;
    expect(pids.pebble).toEqual(expect.any(Number));
    expect(alive(pids.pebble) && alive(pids.challtestsrv)).toBe(true);
    expect(existsSync(configDir)).toBe(true);

    await Promise.all([pebble.stop(), pebble.stop()]);
    await pebble.stop();

    await expectAllGone([pids.pebble, pids.challtestsrv], 0);
    expect(existsSync(configDir)).toBe(false);
    const dispatcher = new Agent({ connect: { ca: pebble.caBundlePem } });
    await expect(
      request(directoryUrl, { dispatcher, headers: { 'user-agent': HARNESS_USER_AGENT } }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await dispatcher.close();
  });

  it('starts several harnesses at once on distinct ports, each answering with its own CA', async () => {
    const handles = await Promise.all([startPebble(), startPebble(), startPebble()]);
    try {
      const ports = handles.flatMap((h) =>
        [new URL(h.directoryUrl).port, h.dnsPort, h.httpPort, h.tlsPort].map(String),
      );
      expect(new Set(ports).size).toBe(ports.length);
      for (const handle of handles) {
        const dispatcher = new Agent({ connect: { ca: handle.caBundlePem } });
        expect(
          (await request(handle.directoryUrl, { dispatcher, headers: { 'user-agent': HARNESS_USER_AGENT } }))
            .statusCode,
        ).toBe(200);
        await dispatcher.close();
      }
    } finally {
      await Promise.all(handles.map((h) => h.stop()));
    }
  });

  it('leaves no process and no config dir behind when the test process exits without stop()', async () => {
    const { report, exited } = startInChild('exit');
    const { pids, configDir } = await report;
    expect(await exited).toBe(3);
    await expectAllGone([pids.pebble, pids.challtestsrv]);
    expect(existsSync(configDir)).toBe(false);
  });

  it('leaves no process behind when the test process is SIGKILLed (parent-death signal)', async () => {
    const { child, report, exited } = startInChild('wait');
    try {
      const { pids } = await report;
      expect(alive(pids.pebble)).toBe(true);
      child.kill('SIGKILL');
      await exited;
      await expectAllGone([pids.pebble, pids.challtestsrv]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

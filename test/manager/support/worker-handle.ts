import { type ChildProcess, spawn } from 'node:child_process';

/** A worker-process.ts child: its JSON-line events, a way to wait for one, and its exit. */
const workerScript = new URL('./worker-process.ts', import.meta.url).pathname;
const root = new URL('../../..', import.meta.url).pathname;

export interface WorkerEvent {
  pid: number;
  /** When the worker printed it (Date.now()). */
  at?: number;
  event: string;
  phase?: string;
  names?: string[];
  type?: string;
  peakRssMb?: number;
  joined?: boolean;
}

export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(config: Record<string, unknown>) {
    this.child = spawn(
      process.execPath,
      ['--conditions=@certkeeper/source', '--import', 'tsx', workerScript],
      {
        cwd: root,
        env: { ...process.env, CERTKEEPER_TEST_WORKER: JSON.stringify(config) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('{')) this.events.push(JSON.parse(line) as WorkerEvent);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  async waitFor(predicate: (event: WorkerEvent) => boolean, timeoutMs = 30_000): Promise<WorkerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `worker ${this.child.pid}: timed out; events ${JSON.stringify(this.events.slice(-5))}; stderr ${this.stderr}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<unknown> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

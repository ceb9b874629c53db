import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with optional stdin; resolves with its exit code and output instead of throwing. */
export function runCommand(
  file: string,
  args: readonly string[],
  input?: string,
  timeoutMs = 10_000,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({
        code,
        stdout: String(stdout),
        stderr: String(stderr) || (error && code !== 0 ? error.message : ''),
      });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The absolute path of a program, or undefined when it is not installed. */
export async function findProgram(name: string): Promise<string | undefined> {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const result = await runCommand('/usr/bin/test', ['-x', `${dir}/${name}`]);
    if (result.code === 0) return `${dir}/${name}`;
  }
  return undefined;
}

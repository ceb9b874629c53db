import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/**
 * The largest configuration file read: 1 MiB holds thousands of certificates. A larger file is refused before it
 * is read (a 50 MB file took over a minute and 4 GB to parse).
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a configuration file as UTF-8 text, refusing — with a message that says what the path is — anything
 * that is not a regular file (a FIFO would block the read forever, `/dev/zero` never ends, a directory or a
 * socket cannot be read) and any file over {@link MAX_CONFIG_BYTES}. The path is checked with `stat` before it
 * is opened, and the opened descriptor is checked again (O_NONBLOCK, so even a FIFO swapped in between cannot
 * block the open), so a file replaced in between is caught too. At most MAX_CONFIG_BYTES + 1 bytes are read.
 *
 * @throws CertkeeperError CONFIG_INVALID naming the path and what it is.
 */
export async function readConfigFile(path: string): Promise<Buffer> {
  const before = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(path, error);
  });
  assertReadable(path, before);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw unreadable(path, error as NodeJS.ErrnoException);
  }
  try {
    const opened = await handle.stat();
    assertReadable(path, opened);
    if (opened.ino !== before.ino || opened.dev !== before.dev)
      throw refused(path, 'was replaced while it was being opened', 'run the command again.');
    return await readBounded(path, handle);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readBounded(path: string, handle: FileHandle): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    total += bytesRead;
    if (total > MAX_CONFIG_BYTES) throw tooLarge(path, `more than ${MAX_CONFIG_BYTES}`);
    chunks.push(chunk.subarray(0, bytesRead));
  }
}

function assertReadable(path: string, info: Stats): void {
  if (info.isFile()) {
    if (info.size > MAX_CONFIG_BYTES) throw tooLarge(path, String(info.size));
    return;
  }
  const kind = info.isDirectory()
    ? 'a directory'
    : info.isFIFO()
      ? 'a named pipe (FIFO)'
      : info.isCharacterDevice()
        ? 'a character device'
        : info.isBlockDevice()
          ? 'a block device'
          : info.isSocket()
            ? 'a socket'
            : 'not a regular file';
  throw refused(
    path,
    `is ${kind}, not a regular file; certkeeper reads its configuration only from regular files`,
    'give --config the path of a YAML file (write one with `certkeeper init`).',
  );
}

function tooLarge(path: string, size: string): CertkeeperError {
  return refused(
    path,
    `is ${size} bytes; a configuration file may have at most ${MAX_CONFIG_BYTES} bytes (1 MiB)`,
    'check that --config names the configuration and not another file; split a huge one by CA or account.',
  );
}

function unreadable(path: string, error: NodeJS.ErrnoException): CertkeeperError {
  const reason =
    error.code === 'ENOENT'
      ? 'it does not exist'
      : error.code === 'ENXIO'
        ? 'it is a socket, not a regular file'
        : error.code === 'EACCES'
          ? 'permission denied'
          : (error.code ?? error.message);
  return new CertkeeperError(
    ErrorCodes.CONFIG_INVALID,
    `The configuration file ${path} cannot be read (${reason}); nothing was done.`,
    { hint: 'check the --config path, or write a starting config with `certkeeper init`.', cause: error },
  );
}

function refused(path: string, what: string, hint: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.CONFIG_INVALID,
    `The configuration file ${path} ${what}; nothing was done.`,
    { hint },
  );
}

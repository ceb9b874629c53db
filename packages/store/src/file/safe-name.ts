import { createHash } from 'node:crypto';

const readable = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** A fixed-length file name for any string: the record's own content says which key it holds. */
export function hashedName(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 40);
}

/**
 * The directory name of a certificate under `<dir>/certificates/`, stable for the life of its key so web
 * server configuration can point at it.
 *
 * A key made only of `a-z 0-9 . _ -` (starting with a letter or digit, at most 100 characters) is used as is:
 * `example.test` stays `example.test`. Any other key becomes a readable slug of it, `~`, and 16 hex digits of
 * its SHA-256, so two keys never share a name (the plain form never contains `~`) and no name is longer than
 * 100 + 17 characters or can climb out of the directory.
 */
export function certificateDirectoryName(key: string): string {
  if (readable.test(key)) return key;
  const slug = key
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[^a-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 100);
  return `${slug}~${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

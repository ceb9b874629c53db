import { basename } from 'node:path';
import type { CertificateFileSet } from '@certkeeper/manager';
import { certificateFiles, type ManagedCertificateRecord } from '@certkeeper/store';
import { outputFiles } from '../deploy/write-output.js';
import { issueRecipeOf } from '../runtime/recipe.js';
import type { Settings } from '../settings/settings.js';

type FileSetsOf = (certificate: {
  readonly key: string;
  readonly identifiers: readonly { readonly value: string }[];
  readonly stored: boolean;
  readonly managed?: ManagedCertificateRecord;
}) => CertificateFileSet[];

/**
 * Where the CLI keeps a stored certificate's PEM files: the store's stable paths, and the configured `output`
 * directory. For the status report (the daemon's page); paths only.
 */
export function certificateFileSets(settings: Settings): FileSetsOf {
  const outputs = new Map<string, string>();
  for (const certificate of settings.certificates)
    if (certificate.output) outputs.set(nameSet(certificate.names), certificate.output);
  return ({ key, identifiers, stored, managed }) => {
    if (!stored) return [];
    const sets = [fileSet('store', certificateFiles(settings.storeDirectory, key))];
    const output =
      outputs.get(nameSet(identifiers.map((identifier) => identifier.value))) ??
      (managed ? issueRecipeOf(managed)?.output : undefined);
    if (output) sets.push(fileSet('output', outputFiles(output)));
    return sets;
  };
}

function fileSet(role: string, paths: { readonly directory: string }): CertificateFileSet {
  const { directory, ...files } = paths as { readonly directory: string } & Record<string, string>;
  return { role, directory, files: Object.values(files).map((path) => basename(path)) };
}

function nameSet(names: readonly string[]): string {
  return names
    .map((name) => name.toLowerCase())
    .sort()
    .join(',');
}

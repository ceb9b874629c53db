// Regenerates docs/providers.md from the first-party plugins' descriptors (`pnpm docs:providers`), or with
// `--check` exits 1 when the file is stale (test/plugins/provider-table.test.ts checks the same in CI).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIRST_PARTY_PLUGINS } from '../packages/cli/src/plugins/load-plugin.js';
import { listPlugins } from '../packages/cli/src/plugins/plugin-listing.js';
import {
  PROVIDER_TABLE_COMMAND,
  PROVIDER_TABLE_PATH,
  renderProviderTable,
} from '../packages/cli/src/plugins/provider-table.js';

const root = join(import.meta.dirname, '..');
const listings = await listPlugins(FIRST_PARTY_PLUGINS, [root]);
const missing = listings.filter((listing) => !listing.installed);
if (missing.length > 0) {
  console.error(missing.map((listing) => `${listing.name}: ${listing.error}`).join('\n'));
  process.exit(1);
}
const path = join(root, PROVIDER_TABLE_PATH);
const table = renderProviderTable(listings);
if (process.argv.includes('--check')) {
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current !== table) {
    console.error(`${PROVIDER_TABLE_PATH} is stale: run ${PROVIDER_TABLE_COMMAND} and commit it.`);
    process.exit(1);
  }
} else {
  await writeFile(path, table);
  console.log(`wrote ${PROVIDER_TABLE_PATH} (${listings.length} providers)`);
}

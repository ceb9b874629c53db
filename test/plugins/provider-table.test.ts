// The provider table (docs/providers.md) is generated from the first-party descriptors; this suite fails when it
// is stale, or when a plugin's README, its descriptor, its package and the workspace registrations disagree.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigSchema } from '@certkeeper/dns';
import {
  FIRST_PARTY_PLUGINS,
  listPlugins,
  loadDnsPlugin,
  type PluginListing,
  PROVIDER_TABLE_COMMAND,
  PROVIDER_TABLE_PATH,
  renderProviderTable,
} from 'certkeeper';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSecretOption } from '../../packages/cli/src/plugins/plugin-options.js';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFile(join(root, path), 'utf8');
const directoryOf = (listing: PluginListing) => `plugins/${listing.package.replace('@certkeeper/', '')}`;

/**
 * The configuration keys a README's "## Options" table documents: the column headed "config…" when there is one
 * (code option names may differ, as in route53), else the first; backticked names, several per cell allowed;
 * rows marked "(code only)" or with "—" in the config column are left out.
 */
function readmeOptionKeys(readme: string): string[] {
  const section = /^## Options\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  const rows = section
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cellText) => cellText.trim()),
    );
  const [header, , ...body] = rows;
  if (!header) return [];
  const configColumn = Math.max(
    0,
    header.findIndex((title) => /config/i.test(title)),
  );
  return body.flatMap((cells) => {
    const text = cells[configColumn] ?? '';
    if (/\(code only\)/.test(cells[0] ?? '') || /^(—|-)$/.test(text)) return [];
    return [...text.matchAll(/`([A-Za-z][\w.]*)`/g)].map((match) => match[1]!);
  });
}

let listings: PluginListing[];
beforeAll(async () => {
  listings = await listPlugins(FIRST_PARTY_PLUGINS, [root]);
}, 60_000);

describe('the provider table', () => {
  it(`${PROVIDER_TABLE_PATH} is what the descriptors generate (regenerate with ${PROVIDER_TABLE_COMMAND})`, async () => {
    expect(listings.filter((listing) => !listing.installed)).toEqual([]);
    expect(await read(PROVIDER_TABLE_PATH)).toBe(renderProviderTable(listings));
  });

  it('reads option keys from README tables the way the plugins write them', () => {
    const readme = [
      '## Options',
      '',
      '| option (`x()`) | config key | default | meaning |',
      '|---|---|---|---|',
      '| `credentials` | `accessKeyId`, `secretAccessKey` | chain | a \\| b |',
      '| `client` | — | — | code only |',
      '| `retry` (code only) | `retry` | 3 | x |',
      '',
      '## Next',
      '| `notAnOption` | x |',
    ].join('\n');
    expect(readmeOptionKeys(readme)).toEqual(['accessKeyId', 'secretAccessKey']);
  });
});

describe.each(FIRST_PARTY_PLUGINS.map((name) => [name]))('first-party plugin %s', (name) => {
  const listing = () => listings.find((candidate) => candidate.package === `@certkeeper/dns-${name}`)!;

  it('its README documents exactly the options its descriptor accepts, and how to authenticate', async () => {
    const readme = await read(`${directoryOf(listing())}/README.md`);
    const documented = readmeOptionKeys(readme).sort();
    const declared = (listing().options ?? []).map((option) => option.key).sort();
    expect(documented, 'README "## Options" table vs descriptor configSchema').toEqual(declared);
    expect(readme).toMatch(/^## .*Authentication/im);
  });

  it('its descriptor says what it is for and marks every credential as a secret', async () => {
    const { plugin } = await loadDnsPlugin(name);
    expect(plugin.about?.service, 'about.service').toBeTruthy();
    expect(plugin.about?.auth, 'about.auth').toBeTruthy();
    const schema = plugin.configSchema as ConfigSchema;
    const unmarked = Object.entries(schema.properties)
      .filter(([key, spec]) => isSecretOption(key, spec.description) && spec.secret !== true)
      .map(([key]) => key);
    expect(unmarked, 'options that look like credentials but lack secret: true').toEqual([]);
  });

  it('its package name and version match the descriptor, and the workspace registers it', async () => {
    const dir = directoryOf(listing());
    const pkg = JSON.parse(await read(`${dir}/package.json`)) as { name: string; version: string };
    expect([pkg.name, pkg.version]).toEqual([listing().package, listing().version]);
    expect(await read('README.md'), 'root README package table').toContain(pkg.name);
    expect(await read('tsconfig.json'), 'root tsconfig references').toContain(`"${dir}"`);
    expect(await read('packages/cli/tsconfig.json'), 'CLI tsconfig references').toContain(`"../../${dir}"`);
    const cli = JSON.parse(await read('packages/cli/package.json')) as {
      dependencies: Record<string, string>;
    };
    expect(cli.dependencies[pkg.name], 'CLI dependency').toBe('workspace:*');
  });
});

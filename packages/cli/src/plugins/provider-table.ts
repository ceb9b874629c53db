import type { PluginListing } from './plugin-listing.js';

/** Where docs/providers.md lives relative to the repository root, and how to regenerate it. */
export const PROVIDER_TABLE_PATH = 'docs/providers.md';
export const PROVIDER_TABLE_COMMAND = 'pnpm docs:providers';

/**
 * docs/providers.md, generated from the first-party descriptors (name, package, options, authentication, notes)
 * so the table cannot drift from the code; `test/plugins/provider-table.test.ts` fails when it is stale or when a
 * README's option table disagrees with its descriptor.
 */
export function renderProviderTable(listings: readonly PluginListing[]): string {
  const installed = listings.filter((listing) => listing.installed);
  const lines = [
    '# DNS providers',
    '',
    `<!-- Generated from the plugins' descriptors by \`${PROVIDER_TABLE_COMMAND}\`; edit the descriptors, not this file. -->`,
    '',
    `certkeeper answers dns-01 challenges through ${installed.length} first-party provider plugins. Each is its own package`,
    'and passes the provider conformance kit; `certkeeper plugins` prints the same information for the plugins installed',
    'next to it. Third-party providers: see [writing-a-provider.md](writing-a-provider.md).',
    '',
    '| name | service | package | authentication | notes |',
    '|---|---|---|---|---|',
    ...installed.map(
      (listing) =>
        `| [\`${listing.name}\`](#${listing.name}) | ${cell(listing.about?.service ?? '')} | [\`${listing.package}\`](${readmeLink(listing)}) | ${cell(listing.about?.auth ?? '')} | ${cell(listing.about?.notes ?? '')} |`,
    ),
    '',
    ...installed.flatMap((listing) => section(listing)),
  ];
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

function section(listing: PluginListing): string[] {
  const about = listing.about;
  return [
    `## ${listing.name}`,
    '',
    `${about?.service ?? listing.name} — \`${listing.package}\` ${listing.version ?? ''}${about?.homepage ? ` — [API](${about.homepage})` : ''}`.trim(),
    '',
    '| option | type | required | secret | `--dns` variable | meaning |',
    '|---|---|---|---|---|---|',
    ...(listing.options ?? []).map(
      (option) =>
        `| \`${option.key}\` | ${option.type} | ${option.required ? 'yes' : ''} | ${option.secret ? 'yes' : ''} | \`${option.env}\` | ${cell(option.description ?? '')} |`,
    ),
    '',
  ];
}

function readmeLink(listing: PluginListing): string {
  return `../plugins/${listing.package.replace(/^@certkeeper\//, '')}/README.md`;
}

/** Text safe inside a Markdown table cell: no column breaks, no emphasis from `_acme-challenge.*`. */
function cell(text: string): string {
  return text.replace(/([|*_])/g, '\\$1').replace(/\s*\n\s*/g, ' ');
}

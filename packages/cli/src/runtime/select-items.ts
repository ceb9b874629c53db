import { CertkeeperError, ErrorCodes, identifierSetKey, parseIdentifiers } from '@certkeeper/core';
import type { Settings } from '../settings/settings.js';
import type { WorkItem } from './work-items.js';

/**
 * `renew <names…>`: the work items whose identifier set is exactly these names (order and case aside) — a
 * configured certificate, one `issue` made, or one found in the store. None: NOT_FOUND (exit 2), before anything
 * is sent to the CA, so a typo in a cron line is not a silent "fresh".
 */
export function selectItems(
  items: readonly WorkItem[],
  names: readonly string[],
  settings: Pick<Settings, 'directoryUrl' | 'storeDirectory' | 'configFile'>,
): WorkItem[] {
  const wanted = identifierSetKey(parseIdentifiers(names));
  const selected = items.filter((item) => identifierSetKey(parseIdentifiers(item.names)) === wanted);
  if (selected.length > 0) return selected;
  const known = items.map((item) => item.names.join(',')).slice(0, 5);
  throw new CertkeeperError(
    ErrorCodes.NOT_FOUND,
    `No certificate for exactly ${names.join(', ')} is configured${settings.configFile ? ` in ${settings.configFile}` : ''}, made with issue, or stored in ${settings.storeDirectory} for ${settings.directoryUrl}; nothing was renewed.${known.length ? ` Known: ${known.join('; ')}${items.length > known.length ? '; …' : ''}.` : ''}`,
    {
      hint: 'give the full set of a certificate’s names (see `certkeeper status`), or `certkeeper issue <names…>` for a new one.',
    },
  );
}

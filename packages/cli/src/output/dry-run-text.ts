import type { DryRunResult } from '@certkeeper/manager';

/** Where a dry run ran: the directory, and whether it was a staging one (and so issued there). */
export interface DryRunTarget {
  readonly directoryUrl: string;
  readonly staging: boolean;
}

/** `dry run against <url>` — with "(no staging directory)" when it ran against the production CA. */
export function dryRunPlace(target: DryRunTarget): string {
  return `dry run against ${target.directoryUrl}${target.staging ? '' : ' (no staging directory)'}`;
}

/** The line a person reads for one certificate's dry run: what was done, and that nothing was kept. */
export function dryRunText(target: DryRunTarget, result: DryRunResult): string {
  if (result.certificate)
    return `${dryRunPlace(target)}: issued and discarded (serial ${result.certificate.serialNumberHex}, valid until ${result.certificate.notAfter}); nothing stored or deployed`;
  const reused = result.reused.length
    ? `; ${result.reused.length} already valid for the account, left as ${result.reused.length === 1 ? 'it was' : 'they were'}`
    : '';
  return `${dryRunPlace(target)}: challenges published and checked, authorizations deactivated (${result.deactivated.length})${reused}, nothing issued`;
}

/** The `--json` event for one certificate's dry run that succeeded. */
export function dryRunJson(
  names: readonly string[],
  target: DryRunTarget,
  result: DryRunResult,
): Record<string, unknown> {
  return {
    event: 'dry-run',
    names,
    ok: true,
    directoryUrl: target.directoryUrl,
    staging: target.staging,
    did: result.certificate ? 'issued-and-discarded' : 'challenges-checked',
    ...(result.orderUrl ? { orderUrl: result.orderUrl } : {}),
    deactivated: result.deactivated,
    reused: result.reused,
    ...(result.certificate ? { certificate: result.certificate } : {}),
    message: dryRunText(target, result),
  };
}

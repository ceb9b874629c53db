import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { normalizeName } from '@certkeeper/dns';

/** One acme-dns account, as `POST /register` returns it and the credentials file keeps it. */
export interface AcmeDnsAccount {
  /** UUID, sent as `X-Api-User`. */
  readonly username: string;
  /** 40 characters, sent as `X-Api-Key`. A secret. */
  readonly password: string;
  /** `<subdomain>.<acme-dns domain>`: where `_acme-challenge.<domain>` must CNAME to. */
  readonly fulldomain: string;
  readonly subdomain: string;
  readonly allowfrom?: readonly string[];
}

/**
 * Domain → account, the credentials file `certkeeper acme-dns register` writes (the same JSON as lego's acme-dns
 * storage file, so one file serves both). The domain is the name certificates are for (`example.com`, also for
 * `*.example.com`).
 */
export type AcmeDnsAccounts = Readonly<Record<string, AcmeDnsAccount>>;

/**
 * Reads the credentials: an object, or its JSON text (what a `{ file }` secret resolves to).
 *
 * @throws CertkeeperError INVALID_OPTION naming the domain and field that are wrong — never a password.
 */
export function parseAccounts(input: string | AcmeDnsAccounts): Map<string, AcmeDnsAccount> {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch {
      throw invalid(
        'the accounts are not valid JSON (expected the file `certkeeper acme-dns register` writes)',
      );
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw invalid('the accounts must be an object of domain → account');
  const accounts = new Map<string, AcmeDnsAccount>();
  for (const [domain, value] of Object.entries(data as Record<string, unknown>)) {
    const account = value as Partial<AcmeDnsAccount> | null;
    for (const field of ['username', 'password', 'fulldomain', 'subdomain'] as const)
      if (typeof account?.[field] !== 'string' || account[field] === '')
        throw invalid(`the account for "${domain}" has no ${field}`);
    const fulldomain = normalizeName(account!.fulldomain!);
    if (!fulldomain.startsWith(`${account!.subdomain!.toLowerCase()}.`))
      throw invalid(`the account for "${domain}" has a fulldomain that does not start with its subdomain`);
    accounts.set(normalizeName(domain.replace(/^\*\./, '')), { ...(account as AcmeDnsAccount), fulldomain });
  }
  return accounts;
}

function invalid(problem: string): CertkeeperError {
  return new CertkeeperError(ErrorCodes.INVALID_OPTION, `acme-dns option accounts: ${problem}.`, {
    hint: 'Register each domain with `certkeeper acme-dns register <domain>` and point accounts at the file it writes: { file: path }.',
  });
}

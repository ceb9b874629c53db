import { randomBytes, randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { FakeApiError } from '../json-api-fake.js';

export interface FakeAcmeDnsAccount {
  readonly username: string;
  readonly password: string;
  readonly subdomain: string;
  readonly allowfrom: readonly string[];
}

/** One of the two TXT rows acme-dns keeps per subdomain. */
interface TxtRow {
  value: string;
  /** Unix seconds, as acme-dns stores it (so two updates in one second tie). */
  lastUpdate: number;
}

export const acmeError = (status: number, error: string) => new FakeApiError(status, { error });

/** acme-dns's value check (validation.go): exactly 43 characters of the base64url alphabet. */
const VALID_TXT = /^[A-Za-z0-9_-]{43}$/;
const VALID_SUBDOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Accounts and their two TXT rows, with acme-dns's update rule. */
export class AcmeDnsStore {
  readonly accounts = new Map<string, FakeAcmeDnsAccount>();
  private readonly rows = new Map<string, TxtRow[]>();

  constructor(private readonly nowSeconds: () => number) {}

  /** `POST /register`: a UUID user, a 40-character key, a UUID subdomain with two empty rows. */
  register(allowfrom: readonly string[]): FakeAcmeDnsAccount {
    for (const cidr of allowfrom) if (!validCidr(cidr)) throw acmeError(400, 'invalid_allowfrom_cidr');
    const account: FakeAcmeDnsAccount = {
      username: randomUUID(),
      password: randomBytes(30).toString('base64url').slice(0, 40),
      subdomain: randomUUID(),
      allowfrom: [...allowfrom],
    };
    this.accounts.set(account.username, account);
    this.rows.set(account.subdomain, [
      { value: '', lastUpdate: 0 },
      { value: '', lastUpdate: 0 },
    ]);
    return account;
  }

  /**
   * `POST /update`: the row with the oldest `LastUpdate` gets the value (`ORDER BY LastUpdate LIMIT 1`; a tie goes
   * to the first row), so a subdomain always holds the two most recent values.
   */
  update(account: FakeAcmeDnsAccount, subdomain: unknown, txt: unknown): string {
    if (typeof subdomain !== 'string' || !VALID_SUBDOMAIN.test(subdomain))
      throw acmeError(400, 'bad_subdomain');
    if (typeof txt !== 'string' || !VALID_TXT.test(txt)) throw acmeError(400, 'bad_txt');
    const rows = this.rows.get(account.subdomain)!;
    const oldest = rows.reduce((best, row) => (row.lastUpdate < best.lastUpdate ? row : best), rows[0]!);
    oldest.value = txt;
    oldest.lastUpdate = this.nowSeconds();
    return txt;
  }

  /** What the DNS server answers for a subdomain: its non-empty values. */
  values(subdomain: string): string[] {
    return (this.rows.get(subdomain.toLowerCase()) ?? [])
      .map((row) => row.value)
      .filter((value) => value !== '');
  }

  /** The account `X-Api-User`/`X-Api-Key` name, allowed from `address` and for `subdomain`; else 401 forbidden. */
  authenticate(user: unknown, key: unknown, subdomain: unknown, address: string): FakeAcmeDnsAccount {
    const account = typeof user === 'string' ? this.accounts.get(user) : undefined;
    const allowed =
      account !== undefined &&
      account.password === key &&
      account.subdomain === subdomain &&
      (account.allowfrom.length === 0 || allowedFrom(account.allowfrom, address));
    if (!allowed) throw acmeError(401, 'forbidden');
    return account;
  }
}

function validCidr(cidr: string): boolean {
  const [address, bits] = cidr.split('/');
  const family = isIP(address ?? '');
  const prefix = Number(bits);
  return family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128);
}

function allowedFrom(cidrs: readonly string[], address: string): boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, bits] = cidr.split('/');
    list.addSubnet(network!, Number(bits), isIP(network!) === 6 ? 'ipv6' : 'ipv4');
  }
  const plain = address.replace(/^::ffff:/, '');
  return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

import { type DueQuery, isDue } from '../port/due.js';
import { type KeyPageOptions, keyPage } from '../port/key-page.js';
import { newestOf } from '../port/newest-of.js';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  Lease,
  LedgerEvent,
  LedgerQuery,
  ManagedCertificateRecord,
  OrderRecord,
} from '../port/records.js';
import type { Store } from '../port/store.js';
import { checkExpectedRevision, StoreConflictError } from '../port/store-conflict-error.js';

const backend = 'MemoryStore';

/**
 * The Store in one process's memory: the reference implementation the conformance suite is proven against
 * ("double entry"), and the store for tests and short-lived tools. Nothing survives the process.
 */
export class MemoryStore implements Store {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly certificates = new Map<string, CertificateRecord>();
  private readonly orders = new Map<string, OrderRecord>();
  private readonly managed = new Map<string, ManagedCertificateRecord>();
  private readonly ledger: LedgerEvent[] = [];
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly leases = new Map<string, Lease>();
  private readonly leaseTokens = new Map<string, number>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async getAccount(directoryUrl: string, name: string) {
    return copy(this.accounts.get(`${directoryUrl} ${name}`));
  }
  async putAccount(record: AccountRecord) {
    this.accounts.set(`${record.directoryUrl} ${record.name}`, copy(record));
  }

  async getCertificate(key: string) {
    return copy(this.certificates.get(key));
  }
  async putCertificate(record: CertificateRecord) {
    this.certificates.set(record.key, copy(record));
  }
  async listCertificates(options: KeyPageOptions = {}) {
    return page(this.certificates, options);
  }
  async listDueCertificates(query: DueQuery) {
    const due = [...this.certificates.values()].filter((record) => isDue(record, query));
    return keyPage(due.map((record) => record.key).sort(), query).map((key) =>
      copy(this.certificates.get(key)!),
    );
  }
  async deleteCertificate(key: string) {
    this.certificates.delete(key);
  }

  async getOrder(key: string) {
    return copy(this.orders.get(key));
  }
  async putOrder(record: Omit<OrderRecord, 'revision'>, expectedRevision: number) {
    checkExpectedRevision(backend, record.key, expectedRevision);
    const found = this.orders.get(record.key)?.revision ?? 0;
    if (found !== expectedRevision)
      throw new StoreConflictError(backend, record.key, expectedRevision, found);
    const stored: OrderRecord = { ...copy(record), revision: found + 1 };
    this.orders.set(record.key, stored);
    return copy(stored);
  }
  async deleteOrder(key: string, expectedRevision?: number) {
    const current = this.orders.get(key);
    if (current === undefined) return;
    if (expectedRevision !== undefined && current.revision !== expectedRevision)
      throw new StoreConflictError(backend, key, expectedRevision, current.revision);
    this.orders.delete(key);
  }

  async appendLedger(event: LedgerEvent) {
    this.ledger.push(copy(event));
  }
  async queryLedger(query: LedgerQuery) {
    const matching = this.ledger
      .filter(
        (event) =>
          event.directoryUrl === query.directoryUrl &&
          event.at >= query.since &&
          (!query.kinds || query.kinds.includes(event.kind)) &&
          (!query.accountUrl || event.accountUrl === query.accountUrl) &&
          (!query.identifierSet || event.identifierSet === query.identifierSet),
      )
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return newestOf(matching, query.newest).map(copy);
  }

  async getBackoff(key: string) {
    return copy(this.backoff.get(key));
  }
  async putBackoff(record: BackoffRecord) {
    this.backoff.set(record.key, copy(record));
  }
  async deleteBackoff(key: string) {
    this.backoff.delete(key);
  }

  async acquireLease(name: string, holder: string, ttlMs: number) {
    const now = this.now();
    const current = this.leases.get(name);
    if (current && current.holder !== holder && Date.parse(current.expiresAt) > now.getTime())
      return undefined;
    const token =
      current?.holder === holder && Date.parse(current.expiresAt) > now.getTime()
        ? current.token
        : (this.leaseTokens.get(name) ?? 0) + 1;
    this.leaseTokens.set(name, token);
    const lease: Lease = { name, holder, token, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.leases.set(name, lease);
    return copy(lease);
  }
  async releaseLease(lease: Lease) {
    const current = this.leases.get(lease.name);
    if (current && current.holder === lease.holder && current.token === lease.token)
      this.leases.delete(lease.name);
  }
  async getLease(name: string) {
    const current = this.leases.get(name);
    return current && Date.parse(current.expiresAt) > this.now().getTime() ? copy(current) : undefined;
  }

  async getManaged(key: string) {
    return copy(this.managed.get(key));
  }
  async putManaged(record: ManagedCertificateRecord) {
    this.managed.set(record.key, copy(record));
  }
  async listManaged(options: KeyPageOptions = {}) {
    return page(this.managed, options);
  }
  async deleteManaged(key: string) {
    this.managed.delete(key);
  }

  async close() {}
}

function page<T>(records: ReadonlyMap<string, T>, options: KeyPageOptions): T[] {
  return keyPage([...records.keys()].sort(), options).map((key) => copy(records.get(key)!));
}

function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

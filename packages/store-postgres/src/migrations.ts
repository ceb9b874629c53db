/** One schema change. Versions only grow; a released migration is never edited, only followed by another. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL for the schema `s` (already quoted). Runs inside the migration transaction. */
  sql(s: string): string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'store tables',
    sql: (s) => `
      CREATE TABLE ${s}.accounts (
        directory_url text NOT NULL,
        name text NOT NULL,
        record jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (directory_url, name)
      );
      -- COLLATE "C": byte order, which is the key order the port promises for listCertificates paging.
      CREATE TABLE ${s}.certificates (
        key text COLLATE "C" PRIMARY KEY,
        record jsonb NOT NULL,
        not_after timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX certificates_not_after ON ${s}.certificates (not_after);
      CREATE TABLE ${s}.orders (
        key text PRIMARY KEY,
        record jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- event_id makes a retried append idempotent: a retry after a lost acknowledgement does not count twice.
      CREATE TABLE ${s}.ledger (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        directory_url text NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        account_url text NOT NULL,
        identifier_set text NOT NULL,
        event jsonb NOT NULL
      );
      CREATE INDEX ledger_by_time ON ${s}.ledger (directory_url, at);
      CREATE INDEX ledger_by_set ON ${s}.ledger (directory_url, identifier_set, at);
      CREATE INDEX ledger_by_account ON ${s}.ledger (directory_url, account_url, at);
      CREATE TABLE ${s}.backoff (
        key text PRIMARY KEY,
        record jsonb NOT NULL
      );
      -- A row outlives its lease (holder NULL after release), so token keeps growing per name.
      CREATE TABLE ${s}.leases (
        name text PRIMARY KEY,
        holder text,
        token bigint NOT NULL,
        expires_at timestamptz
      );
    `,
  },
  {
    version: 2,
    name: 'order revisions, managed certificates',
    sql: (s) => `
      -- putOrder is compare-and-set on revision; orders written before this migration count as revision 1.
      ALTER TABLE ${s}.orders ADD COLUMN revision bigint NOT NULL DEFAULT 1;
      -- The id of the write that set the revision: a putOrder retried after a lost acknowledgement finds its own
      -- write instead of reporting a conflict with itself.
      ALTER TABLE ${s}.orders ADD COLUMN write_id uuid;
      -- COLLATE "C" as certificates: listManaged pages in byte order.
      CREATE TABLE ${s}.managed (
        key text COLLATE "C" PRIMARY KEY,
        record jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'certificate check time for the due sweep',
    sql: (s) => `
      -- When a certificate may next need a sweep (certificateCheckAt in @certkeeper/store), written with every
      -- certificate; listDueCertificates reads this index and not_after's instead of every row. Rows stored before
      -- this migration are filled in by the store the first time it is asked for due certificates.
      ALTER TABLE ${s}.certificates ADD COLUMN check_at timestamptz;
      CREATE INDEX certificates_check_at ON ${s}.certificates (check_at);
    `,
  },
];

import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Applies prisma/migrations/<name>/migration.sql in order (docs/decisions/0002-offline-migrations.md).
 *
 * `prisma migrate deploy` needs a native engine these machines can't download, so we apply the same
 * files ourselves, the same way: one transaction per migration, under an advisory lock, recorded in
 * Prisma's `_prisma_migrations` table with Prisma's checksum (sha256 of the file, hex). A networked
 * `prisma migrate deploy` then sees the same history and agrees.
 */

/** The one connection migrations run on: a pg.Client or a PGlite instance, adapted. */
export type SqlSession = {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
  /** The underlying connection, when several sessions may wrap the same one (PGlite). */
  connection?: object;
};

export type Migration = { name: string; sql: string; checksum: string };
export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

// The key Prisma Migrate itself locks with, so our runner and `prisma migrate deploy` exclude each other.
const ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  // Read at run time from the checkout, not traced into the bundle: on Vercel migrations run at
  // build time (`npm run db:migrate`), so deployed functions never need these files.
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

// PGlite is one connection per process, and advisory locks are re-entrant within a session, so
// callers sharing a session also queue here; separate connections are kept apart by the lock.
const sessionQueues = new WeakMap<object, Promise<unknown>>();

export async function migrate(
  session: SqlSession,
  options: { migrations?: Migration[]; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const target = session.connection ?? session;
  const previous = sessionQueues.get(target) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => migrateLocked(session, options));
  sessionQueues.set(target, run);
  return run;
}

async function migrateLocked(
  session: SqlSession,
  { migrations, log = () => {} }: { migrations?: Migration[]; log?: (line: string) => void },
): Promise<MigrateResult> {
  const all = migrations ?? (await readMigrations());
  await session.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);

    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier and was never resolved; fix the database, then mark it with \`prisma migrate resolve\` or delete its row in _prisma_migrations.`,
      );
    }
    const done = new Map(
      rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => [row.migration_name, row]),
    );

    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const migration of all) {
      const existing = done.get(migration.name);
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          log(`[db] warning: migration ${migration.name} was edited after it was applied (checksum differs)`);
        }
        alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(session, migration);
      applied.push(migration.name);
      log(`[db] applied migration ${migration.name}`);
    }
    return { applied, alreadyApplied };
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => {});
  }
}

async function applyOne(session: SqlSession, migration: Migration) {
  const startedAt = new Date();
  await session.exec("BEGIN");
  try {
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK").catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}

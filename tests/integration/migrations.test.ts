import { PGlite } from "@electric-sql/pglite";
import { Client } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { checksumOf, migrate, readMigrations, type SqlSession } from "@/lib/db/migrate";
import { pgliteSession, pgSession } from "@/lib/db/sessions";
import { createEmptyPostgresDatabase } from "../helpers/test-database";

const usePostgres = Boolean(process.env.DATABASE_URL);

/** Two independent connections to one fresh, empty database (PostgreSQL), or one shared PGlite. */
async function emptyDatabase(): Promise<{ sessions: [SqlSession, SqlSession]; close(): Promise<void> }> {
  if (usePostgres) {
    const database = await createEmptyPostgresDatabase(process.env.DATABASE_URL!);
    const clients = [new Client(database.url), new Client(database.url)];
    await Promise.all(clients.map((c) => c.connect()));
    return {
      sessions: [pgSession(clients[0]!), pgSession(clients[1]!)],
      async close() {
        await Promise.all(clients.map((c) => c.end()));
        await database.drop();
      },
    };
  }
  // PGlite is one connection per process: two migrators in one process share it.
  const pglite = new PGlite();
  const session = pgliteSession(pglite);
  return { sessions: [session, pgliteSession(pglite)], close: () => pglite.close() };
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function tables(session: SqlSession) {
  const rows = await session.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

describe(`migrations (${usePostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("creates every table of the data model and records each migration as Prisma does", async () => {
    const { sessions, close } = await emptyDatabase();
    cleanups.push(close);
    const result = await migrate(sessions[0]);
    const migrations = await readMigrations();
    expect(result.applied).toEqual(migrations.map((m) => m.name));
    expect(await tables(sessions[0])).toEqual(
      expect.arrayContaining([
        "_prisma_migrations",
        "card_links",
        "github_accounts",
        "link_tickets",
        "miro_teams",
        "miro_tokens",
        "miro_users",
        "oauth_states",
        "sync_jobs",
        "webhook_deliveries",
      ]),
    );
    const recorded = await sessions[0].query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    // Prisma's checksum: sha256 of the migration file, lowercase hex.
    expect(recorded).toEqual(
      migrations.map((m) => ({ migration_name: m.name, checksum: checksumOf(m.sql), applied_steps_count: 1 })),
    );
    expect(recorded[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes nothing when applied twice", async () => {
    const { sessions, close } = await emptyDatabase();
    cleanups.push(close);
    await migrate(sessions[0]);
    const before = await sessions[0].query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    const second = await migrate(sessions[0]);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied.length).toBe(before.length);
    expect(await sessions[0].query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`)).toEqual(before);
  });

  it("applies each migration once when two migrators start at the same time", async () => {
    const { sessions, close } = await emptyDatabase();
    cleanups.push(close);
    const [a, b] = await Promise.all([migrate(sessions[0]), migrate(sessions[1])]);
    const total = (await readMigrations()).length;
    expect(a.applied.length + b.applied.length).toBe(total);
    const rows = await sessions[0].query<{ count: string | number }>(`SELECT count(*) AS count FROM "_prisma_migrations"`);
    expect(Number(rows[0]?.count)).toBe(total);
  });

  it("rolls a failing migration back whole and records nothing", async () => {
    const { sessions, close } = await emptyDatabase();
    cleanups.push(close);
    await migrate(sessions[0]);
    const broken = [
      ...(await readMigrations()),
      {
        name: "99999999999999_broken",
        sql: 'CREATE TABLE "half_done" (id int);\nSELECT no_such_function();',
        checksum: "x",
      },
    ];
    await expect(migrate(sessions[0], { migrations: broken })).rejects.toThrow(/99999999999999_broken failed/);
    expect(await tables(sessions[0])).not.toContain("half_done");
    const names = await sessions[0].query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(names.map((n) => n.migration_name)).not.toContain("99999999999999_broken");
  });
});

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { Client } from "pg";
import { postgresAdapter, setDbForTests } from "@/lib/db/client";
import { PrismaClient } from "@/lib/db/generated/client";
import { openEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { pgSession } from "@/lib/db/sessions";

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database when DATABASE_URL is
 * set (dropped afterwards), an in-memory PGlite otherwise.
 */
export type TestDatabase = {
  kind: "postgresql" | "pglite";
  prisma: PrismaClient;
  /** The database's own URL (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
};

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const { prisma, close } = await openEmbeddedDatabase(undefined, () => {});
    return { kind: "pglite", prisma, close };
  }
  const name = `cardbridge_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(adminUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(pgSession(client));
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: postgresAdapter(url) });
  return {
    kind: "postgresql",
    prisma,
    url,
    async close() {
      await prisma.$disconnect();
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Creates an empty database (no migrations) for tests of the migrator itself. */
export async function createEmptyPostgresDatabase(adminUrl: string) {
  const name = `cardbridge_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(adminUrl, name),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** Registers a fresh database as the app's database for this test file. */
export function withTestDatabase(): { current(): TestDatabase } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setDbForTests(database.prisma);
  });
  afterAll(async () => {
    setDbForTests(undefined);
    await database?.close();
  });
  return {
    current() {
      if (!database) throw new Error("withTestDatabase: the database is created in beforeAll");
      return database;
    },
  };
}

async function withAdmin<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

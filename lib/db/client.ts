import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "../env";
import { PrismaClient } from "./generated/client";

export type { PrismaClient } from "./generated/client";

/**
 * The one Prisma client of this process (docs/decisions/0001-embedded-database.md).
 * DATABASE_URL set → PostgreSQL through @prisma/adapter-pg. Unset → embedded PGlite in PGLITE_DIR,
 * migrated on first use (refused on Vercel by lib/env.ts).
 */

type Holder = { db?: Promise<PrismaClient>; close?: () => Promise<void>; override?: PrismaClient };

// Survives Next's hot reloads in development, so one process never opens the embedded database twice.
const globalHolder = globalThis as { __cardbridgeDb?: Holder };
globalHolder.__cardbridgeDb ??= {};
const holder: Holder = globalHolder.__cardbridgeDb;

export function getDb(): Promise<PrismaClient> {
  if (holder.override) return Promise.resolve(holder.override);
  holder.db ??= connect().catch((error) => {
    holder.db = undefined;
    throw error;
  });
  return holder.db;
}

/** Integration tests hand in their own fresh database; `undefined` restores the default. */
export function setDbForTests(db: PrismaClient | undefined) {
  holder.override = db;
}

async function connect(): Promise<PrismaClient> {
  const { DATABASE_URL, PGLITE_DIR } = env();
  if (DATABASE_URL) {
    console.info(`[db] using PostgreSQL at ${describeUrl(DATABASE_URL)}`);
    const prisma = new PrismaClient({ adapter: postgresAdapter(DATABASE_URL) });
    holder.close = () => prisma.$disconnect();
    return prisma;
  }
  // Loaded lazily: deployments with DATABASE_URL never load the WebAssembly build.
  const { openEmbeddedDatabase } = await import("./embedded");
  console.info(`[db] using embedded PGlite in ${PGLITE_DIR}`);
  const embedded = await openEmbeddedDatabase(PGLITE_DIR);
  holder.close = embedded.close;
  return embedded.prisma;
}

/** Closes this process's database (command-line scripts call it so they can exit). */
export async function closeDb(): Promise<void> {
  const close = holder.close;
  holder.db = undefined;
  holder.close = undefined;
  await close?.();
}

export function postgresAdapter(connectionString: string) {
  // A dead database should fail a request in seconds, not hang it until the platform's timeout.
  return new PrismaPg({ connectionString, connectionTimeoutMillis: 5_000, max: 10 });
}

/** host:port/database, never the password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

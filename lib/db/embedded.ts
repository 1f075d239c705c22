import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { migrate } from "./migrate";
import { pgliteSession } from "./sessions";

/**
 * Opens the embedded PostgreSQL (PGlite) in `dir`, or in memory when `dir` is undefined, applies
 * the migrations, and returns a Prisma client on it. A data directory serves one process at a
 * time: migrate and serve in the same process.
 */
export async function openEmbeddedDatabase(
  dir?: string,
  log: (line: string) => void = console.info,
): Promise<{ prisma: PrismaClient; close(): Promise<void> }> {
  const pglite = await openPGlite(dir);
  await migrate(pgliteSession(pglite), { log });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    // Prisma's $disconnect leaves the PGlite instance open (and the process alive): close both.
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

export async function openPGlite(dir?: string): Promise<PGlite> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  return pglite;
}

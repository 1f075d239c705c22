// npm run db:migrate – applies prisma/migrations to DATABASE_URL, or to the embedded database in PGLITE_DIR.
import { Client } from "pg";
import { describeUrl } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { pgliteSession, pgSession } from "../lib/db/sessions";

async function main() {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      console.info(`[db] migrating PostgreSQL at ${describeUrl(url)}`);
      report(await migrate(pgSession(client), { log: console.info }));
    } finally {
      await client.end();
    }
    return;
  }
  if (process.env.VERCEL) throw new Error("DATABASE_URL is required on Vercel");
  const dir = process.env.PGLITE_DIR?.trim() || ".data/pglite";
  const { openPGlite } = await import("../lib/db/embedded");
  const pglite = await openPGlite(dir);
  try {
    console.info(`[db] migrating embedded PGlite in ${dir}`);
    report(await migrate(pgliteSession(pglite), { log: console.info }));
  } finally {
    await pglite.close();
  }
}

function report({ applied, alreadyApplied }: { applied: string[]; alreadyApplied: string[] }) {
  console.info(
    applied.length
      ? `[db] ${applied.length} migration(s) applied, ${alreadyApplied.length} already there`
      : `[db] up to date (${alreadyApplied.length} migration(s))`,
  );
}

main().catch((error: unknown) => {
  console.error(`[db] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

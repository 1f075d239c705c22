// npm run keys:rotate – re-encrypts every stored token with the first key of TOKEN_ENCRYPTION_KEYS.
// Rotation: put a new key first, keep the old ones after it, deploy, run this, then drop the old keys.
import { rotateKeys } from "../lib/crypto/rotate-keys";
import { getDb } from "../lib/db/client";
import { env } from "../lib/env";

async function main() {
  const { TOKEN_ENCRYPTION_KEYS } = env();
  const db = await getDb();
  try {
    const report = await rotateKeys(db, TOKEN_ENCRYPTION_KEYS);
    for (const table of Object.keys(report.reencrypted)) {
      console.info(
        `[keys] ${table}: ${report.reencrypted[table]} re-encrypted, ${report.current[table]} already under "${report.keyId}"`,
      );
    }
    console.info(`[keys] done: ${report.total} token(s) re-encrypted with key "${report.keyId}"`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`[keys] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

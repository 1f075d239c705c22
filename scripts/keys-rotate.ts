// npm run keys:rotate – re-encrypts every stored token with the first key of TOKEN_ENCRYPTION_KEYS.
// Rotation: put a new key first, keep the old ones after it, deploy, run this, then drop the old keys.
import { rotateKeys } from "../lib/crypto/rotate-keys";
import { closeDb, getDb } from "../lib/db/client";
import { env } from "../lib/env";

async function main() {
  const { TOKEN_ENCRYPTION_KEYS } = env();
  const db = await getDb();
  try {
    const report = await rotateKeys(db, TOKEN_ENCRYPTION_KEYS);
    let unreadable = 0;
    for (const table of Object.keys(report.reencrypted)) {
      unreadable += report.unreadable[table] ?? 0;
      const bad = report.unreadable[table] ? `, ${report.unreadable[table]} UNREADABLE (left as they are)` : "";
      console.info(
        `[keys] ${table}: ${report.reencrypted[table]} re-encrypted, ${report.current[table]} already under "${report.keyId}"${bad}`,
      );
    }
    console.info(`[keys] done: ${report.total} token(s) re-encrypted with key "${report.keyId}"`);
    if (unreadable > 0) {
      console.error(
        `[keys] ${unreadable} value(s) could not be decrypted with any configured key: is a key missing, or was a key id reused with other bytes? Those users will have to reconnect.`,
      );
      process.exitCode = 1;
    }
  } finally {
    await closeDb();
  }
}

main().catch((error: unknown) => {
  console.error(`[keys] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

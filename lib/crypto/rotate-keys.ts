import type { PrismaClient } from "../db/client";
import {
  decryptToken,
  type EncryptionKey,
  encryptToken,
  keyIdOf,
  TokenDecryptionError,
  tokenBinding,
} from "./token-cipher";
import { ENCRYPTED_COLUMNS } from "./tokens";

export type RotationReport = {
  keyId: string;
  /** Values re-encrypted, by table. */
  reencrypted: Record<string, number>;
  /** Values already under the current key, by table. */
  current: Record<string, number>;
  /** Values no configured key opens (a wrong key behind a known id, or tampering), by table: left as they are. */
  unreadable: Record<string, number>;
  total: number;
};

const BATCH = 200;

/**
 * Re-encrypts every stored token with the first key of `keys`. Each value is rewritten only if it
 * is still the value we read (compare-and-set), so a token refreshed meanwhile is never clobbered
 * with its older self. Safe to run again: values under the current key are left alone. Every value
 * is decrypted first, so one that no configured key opens is counted, reported and left untouched.
 */
export async function rotateKeys(db: PrismaClient, keys: readonly EncryptionKey[]): Promise<RotationReport> {
  const current = keys[0];
  if (!current) throw new Error("TOKEN_ENCRYPTION_KEYS is empty");
  const report: RotationReport = { keyId: current.id, reencrypted: {}, current: {}, unreadable: {}, total: 0 };

  for (const [table, columns] of Object.entries(ENCRYPTED_COLUMNS)) {
    report.reencrypted[table] = 0;
    report.current[table] = 0;
    report.unreadable[table] = 0;
    for (const column of columns) {
      // Table and column names come from the constant above, never from input.
      let after = "";
      for (;;) {
        const rows = await db.$queryRawUnsafe<{ id: string; value: string }[]>(
          `SELECT id, "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL AND id > $1 ORDER BY id LIMIT ${BATCH}`,
          after,
        );
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        for (const row of rows) {
          const binding = tokenBinding(table, column, row.id);
          let plaintext: string;
          try {
            plaintext = decryptToken(row.value, binding, keys);
          } catch (error) {
            if (!(error instanceof TokenDecryptionError)) throw error;
            report.unreadable[table]! += 1;
            continue;
          }
          if (keyIdOf(row.value) === current.id) {
            report.current[table]! += 1;
            continue;
          }
          const rewritten = encryptToken(plaintext, binding, keys);
          const changed = await db.$executeRawUnsafe(
            `UPDATE "${table}" SET "${column}" = $1 WHERE id = $2 AND "${column}" = $3`,
            rewritten,
            row.id,
            row.value,
          );
          if (changed === 1) {
            report.reencrypted[table]! += 1;
            report.total += 1;
          }
        }
      }
    }
  }
  return report;
}

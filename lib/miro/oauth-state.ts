import { hashOneTimeSecret, newOneTimeSecret } from "../crypto/one-time-secret";
import { getDb } from "../db/client";

/** OAuth `state` for flows we start (the panel's "Reconnect Miro"): random, stored hashed, single use, 10 minutes. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export async function createMiroOAuthState(): Promise<string> {
  const db = await getDb();
  const { raw, hash } = newOneTimeSecret();
  await db.oAuthState.create({
    data: { stateHash: hash, provider: "miro", expiresAt: new Date(Date.now() + STATE_TTL_MS) },
  });
  return raw;
}

/** Marks a state used; true only the first time, and only before it expires. */
export async function consumeMiroOAuthState(raw: string): Promise<boolean> {
  const db = await getDb();
  // One conditional UPDATE: two callbacks racing with the same state can't both win.
  const { count } = await db.oAuthState.updateMany({
    where: { stateHash: hashOneTimeSecret(raw), provider: "miro", usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return count === 1;
}

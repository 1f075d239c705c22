import { randomUUID } from "node:crypto";
import { openToken, sealToken } from "../crypto/tokens";
import { getDb } from "../db/client";
import { singleFlight } from "../db/single-flight";
import { miroNotInstalled, MiroReconnectRequired } from "./errors";
import { MiroOAuthError, type MiroTokenSet, refreshMiroToken } from "./oauth-client";

/**
 * Miro tokens at rest (encrypted, docs/decisions/0003-token-encryption.md) and kept fresh.
 *
 * Miro rotates the refresh token on every refresh: the old pair dies. Two refreshes racing with
 * the same refresh token would leave one of them holding dead tokens, so a refresh runs once per
 * installation: callers in this process share one promise, and across processes the refresh runs
 * under the row's lock (SELECT … FOR UPDATE) and re-checks whether someone else already did it.
 */

/** Refresh this long before expiry, so a token never dies in the middle of a request. */
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;

type Names = { userName?: string; teamName?: string };

export async function saveMiroInstallation(tokens: MiroTokenSet, names: Names = {}): Promise<void> {
  const db = await getDb();
  await db.$transaction(async (tx) => {
    await tx.miroTeam.upsert({
      where: { id: tokens.teamId },
      create: { id: tokens.teamId, name: names.teamName },
      update: names.teamName ? { name: names.teamName } : {},
    });
    await tx.miroUser.upsert({
      where: { id: tokens.userId },
      create: { id: tokens.userId, name: names.userName },
      update: names.userName ? { name: names.userName } : {},
    });
    const existing = await tx.miroToken.findUnique({
      where: { userId_teamId: { userId: tokens.userId, teamId: tokens.teamId } },
      select: { id: true },
    });
    const id = existing?.id ?? randomUUID();
    const data = {
      ...sealedPair(id, tokens),
      accessTokenExpiresAt: tokens.accessTokenExpiresAt ?? null,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null,
      scopes: tokens.scopes,
      needsReconnect: false,
    };
    await tx.miroToken.upsert({
      where: { id },
      create: { id, userId: tokens.userId, teamId: tokens.teamId, ...data },
      update: data,
    });
  });
}

/** A working access token for a user's installation on a team, refreshed first when due. */
export async function getMiroAccessToken(userId: string, teamId: string): Promise<string> {
  const db = await getDb();
  const row = await db.miroToken.findUnique({ where: { userId_teamId: { userId, teamId } } });
  if (!row) throw miroNotInstalled();
  if (row.needsReconnect) throw new MiroReconnectRequired();
  if (!isDue(row.accessTokenExpiresAt)) return openToken("miro_tokens", "access_token_enc", row.id, row.accessTokenEnc);
  return singleFlight(`miro-token:${row.id}`, () => refreshUnderLock(row.id));
}

function isDue(expiresAt: Date | null): boolean {
  return expiresAt !== null && expiresAt.getTime() - Date.now() <= REFRESH_MARGIN_MS;
}

type LockedRow = {
  id: string;
  access_token_enc: string;
  refresh_token_enc: string | null;
  access_token_expires_at: Date | null;
  needs_reconnect: boolean;
};

/**
 * Refreshes one installation's tokens under its row lock, unless someone else already did.
 * Exported for tests of the cross-process path; callers use getMiroAccessToken.
 */
export async function refreshUnderLock(rowId: string): Promise<string> {
  const db = await getDb();
  const outcome = await db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<LockedRow[]>`
        SELECT id, access_token_enc, refresh_token_enc, access_token_expires_at, needs_reconnect
        FROM miro_tokens WHERE id = ${rowId} FOR UPDATE`;
      if (!row) return { kind: "gone" as const };
      if (row.needs_reconnect) return { kind: "reconnect" as const };
      // Another process refreshed while we waited for the lock: use its tokens.
      if (!isDue(row.access_token_expires_at)) {
        return { kind: "ok" as const, token: openToken("miro_tokens", "access_token_enc", row.id, row.access_token_enc) };
      }
      if (!row.refresh_token_enc) {
        await tx.miroToken.update({ where: { id: rowId }, data: { needsReconnect: true } });
        return { kind: "reconnect" as const };
      }
      let fresh: MiroTokenSet;
      try {
        fresh = await refreshMiroToken(openToken("miro_tokens", "refresh_token_enc", row.id, row.refresh_token_enc));
      } catch (error) {
        if (error instanceof MiroOAuthError && error.permanent) {
          await tx.miroToken.update({ where: { id: rowId }, data: { needsReconnect: true } });
          console.warn(`[miro] refresh refused for installation ${rowId}: marked to reconnect`);
          return { kind: "reconnect" as const };
        }
        throw error;
      }
      await tx.miroToken.update({
        where: { id: rowId },
        data: {
          ...sealedPair(rowId, fresh),
          accessTokenExpiresAt: fresh.accessTokenExpiresAt ?? null,
          refreshTokenExpiresAt: fresh.refreshTokenExpiresAt ?? null,
          scopes: fresh.scopes,
        },
      });
      return { kind: "ok" as const, token: fresh.accessToken };
    },
    // The lock is held across one HTTP call to Miro (its own timeout is 15 s).
    { maxWait: 20_000, timeout: 30_000 },
  );
  if (outcome.kind === "ok") return outcome.token;
  if (outcome.kind === "gone") throw miroNotInstalled();
  throw new MiroReconnectRequired();
}

function sealedPair(rowId: string, tokens: MiroTokenSet) {
  return {
    accessTokenEnc: sealToken("miro_tokens", "access_token_enc", rowId, tokens.accessToken),
    refreshTokenEnc: tokens.refreshToken ? sealToken("miro_tokens", "refresh_token_enc", rowId, tokens.refreshToken) : null,
  };
}

/** Deletes an installation's tokens; returns the access token so the caller can revoke it. */
export async function deleteMiroInstallation(userId: string, teamId: string): Promise<string | undefined> {
  const db = await getDb();
  const row = await db.miroToken.findUnique({ where: { userId_teamId: { userId, teamId } } });
  if (!row) return undefined;
  await db.miroToken.delete({ where: { id: row.id } });
  try {
    return openToken("miro_tokens", "access_token_enc", row.id, row.accessTokenEnc);
  } catch {
    return undefined;
  }
}

import { openToken, sealToken } from "../crypto/tokens";
import { getDb } from "./client";
import { singleFlight } from "./single-flight";

/**
 * Refreshing rotating OAuth tokens without losing them (Miro and GitHub both rotate: a refresh
 * returns a new pair and kills the old one, so two refreshes racing with the same refresh token
 * leave one caller holding dead tokens).
 *
 * A refresh runs once per token row: callers in this process share one promise, and across
 * processes it runs under the row's lock (SELECT … FOR UPDATE), re-checking after the wait whether
 * another process already refreshed. The new pair is written in the same transaction.
 */

export type TokenTable = "miro_tokens" | "github_accounts";

export type RefreshedTokens = {
  accessToken: string;
  refreshToken?: string;
  accessTokenExpiresAt?: Date;
  refreshTokenExpiresAt?: Date;
};

export type RefreshOutcome = { kind: "ok"; accessToken: string } | { kind: "gone" } | { kind: "reconnect" };

/** Refresh this long before expiry, so a token never dies in the middle of a request. */
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;

export function isDue(expiresAt: Date | null | undefined, now = Date.now()): boolean {
  return expiresAt != null && expiresAt.getTime() - now <= REFRESH_MARGIN_MS;
}

type LockedRow = {
  access_token_enc: string;
  refresh_token_enc: string | null;
  access_token_expires_at: Date | null;
  needs_reconnect: boolean;
};

/** A token row as both stores read it. */
export type TokenRow = {
  id: string;
  accessTokenEnc: string;
  accessTokenExpiresAt: Date | null;
  needsReconnect: boolean;
};

/** Encrypts an access/refresh pair for one row of a token table. */
export function sealTokenPair(table: TokenTable, rowId: string, tokens: { accessToken: string; refreshToken?: string }) {
  return {
    accessTokenEnc: sealToken(table, "access_token_enc", rowId, tokens.accessToken),
    refreshTokenEnc: tokens.refreshToken ? sealToken(table, "refresh_token_enc", rowId, tokens.refreshToken) : null,
  };
}

/** The row's access token: the stored one while fresh, else refreshed once (see refreshTokenRow). */
export function usableAccessToken(
  table: TokenTable,
  row: TokenRow,
  refresh: (refreshToken: string) => Promise<RefreshedTokens>,
  isPermanent: (error: unknown) => boolean,
): Promise<RefreshOutcome> {
  if (row.needsReconnect) return Promise.resolve({ kind: "reconnect" });
  if (!isDue(row.accessTokenExpiresAt)) {
    return Promise.resolve({ kind: "ok", accessToken: openToken(table, "access_token_enc", row.id, row.accessTokenEnc) });
  }
  return refreshTokenRow(table, row.id, refresh, isPermanent);
}

export function refreshTokenRow(
  table: TokenTable,
  rowId: string,
  refresh: (refreshToken: string) => Promise<RefreshedTokens>,
  /** Whether a refresh error means the grant is dead (revoked, expired): the user must reconnect. */
  isPermanent: (error: unknown) => boolean,
): Promise<RefreshOutcome> {
  return singleFlight(`${table}:${rowId}`, () => refreshUnderLock(table, rowId, refresh, isPermanent));
}

/** The cross-process half alone; exported for tests that race two "processes". */
export async function refreshUnderLock(
  table: TokenTable,
  rowId: string,
  refresh: (refreshToken: string) => Promise<RefreshedTokens>,
  isPermanent: (error: unknown) => boolean,
): Promise<RefreshOutcome> {
  const db = await getDb();
  return db.$transaction(
    async (tx) => {
      // The table name comes from the TokenTable union, never from input.
      const [row] = await tx.$queryRawUnsafe<LockedRow[]>(
        `SELECT access_token_enc, refresh_token_enc, access_token_expires_at, needs_reconnect
         FROM "${table}" WHERE id = $1 FOR UPDATE`,
        rowId,
      );
      if (!row) return { kind: "gone" };
      if (row.needs_reconnect) return { kind: "reconnect" };
      if (!isDue(row.access_token_expires_at)) {
        return { kind: "ok", accessToken: openToken(table, "access_token_enc", rowId, row.access_token_enc) };
      }
      const markReconnect = () =>
        tx.$executeRawUnsafe(`UPDATE "${table}" SET needs_reconnect = true, updated_at = now() WHERE id = $1`, rowId);
      if (!row.refresh_token_enc) {
        await markReconnect();
        return { kind: "reconnect" };
      }
      let fresh: RefreshedTokens;
      try {
        fresh = await refresh(openToken(table, "refresh_token_enc", rowId, row.refresh_token_enc));
      } catch (error) {
        if (!isPermanent(error)) throw error;
        await markReconnect();
        console.warn(`[tokens] ${table} ${rowId}: refresh refused for good; marked to reconnect`);
        return { kind: "reconnect" };
      }
      const sealed = sealTokenPair(table, rowId, fresh);
      await tx.$executeRawUnsafe(
        `UPDATE "${table}" SET access_token_enc = $2, refresh_token_enc = $3, access_token_expires_at = $4,
         refresh_token_expires_at = $5, updated_at = now() WHERE id = $1`,
        rowId,
        sealed.accessTokenEnc,
        sealed.refreshTokenEnc,
        fresh.accessTokenExpiresAt ?? null,
        fresh.refreshTokenExpiresAt ?? null,
      );
      return { kind: "ok", accessToken: fresh.accessToken };
    },
    // The lock is held across one HTTP call to the provider (its own timeout is 15 s).
    { maxWait: 20_000, timeout: 30_000 },
  );
}

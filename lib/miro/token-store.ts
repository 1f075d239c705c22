import { randomUUID } from "node:crypto";
import { openToken } from "../crypto/tokens";
import { getDb } from "../db/client";
import { type RefreshOutcome, refreshUnderLock, sealTokenPair, usableAccessToken } from "../db/refresh-token-row";
import { miroNotInstalled, MiroReconnectRequired } from "./errors";
import { MiroOAuthError, type MiroTokenSet, refreshMiroToken } from "./oauth-client";

/**
 * Miro tokens at rest (encrypted, docs/decisions/0003-token-encryption.md) and kept fresh.
 *
 * Miro rotates the refresh token on every refresh: the old pair dies. Refreshes go through
 * lib/db/refresh-token-row.ts, once per installation however many callers and processes ask.
 */

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
      ...sealTokenPair("miro_tokens", id, tokens),
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
  return unwrap(await usableAccessToken("miro_tokens", row, refreshMiroToken, isPermanentRefusal));
}

/** Refreshes one installation under its row lock, bypassing the in-process single flight (tests). */
export async function refreshMiroInstallationUnderLock(rowId: string): Promise<string> {
  return unwrap(await refreshUnderLock("miro_tokens", rowId, refreshMiroToken, isPermanentRefusal));
}

function isPermanentRefusal(error: unknown): boolean {
  return error instanceof MiroOAuthError && error.permanent;
}

function unwrap(outcome: RefreshOutcome): string {
  if (outcome.kind === "ok") return outcome.accessToken;
  if (outcome.kind === "gone") throw miroNotInstalled();
  throw new MiroReconnectRequired();
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

import { randomUUID } from "node:crypto";
import { openToken } from "../crypto/tokens";
import { getDb } from "../db/client";
import { type RefreshedTokens, sealTokenPair, usableAccessToken } from "../db/refresh-token-row";
import { ApiError } from "../http/api-error";
import { GithubOAuthError, refreshGithubToken, revokeGithubGrant } from "./oauth-client";

/** The GitHub account a Miro user connected, with its tokens encrypted (at most one per Miro user). */

export type GithubConnection = RefreshedTokens & { githubUserId: string; login: string };

/** Links a GitHub account to a Miro user; connecting another account replaces the previous one. */
export async function saveGithubAccount(miroUserId: string, connection: GithubConnection): Promise<void> {
  const db = await getDb();
  const previous = await db.githubAccount.findUnique({ where: { miroUserId } });
  const id = randomUUID();
  const sealed = sealTokenPair("github_accounts", id, connection);
  // A new row id each time: the old ciphertexts were bound to the old row and die with it.
  await db.$transaction([
    db.githubAccount.deleteMany({ where: { miroUserId } }),
    db.githubAccount.create({
      data: {
        id,
        miroUserId,
        githubUserId: connection.githubUserId,
        login: connection.login,
        ...sealed,
        accessTokenExpiresAt: connection.accessTokenExpiresAt ?? null,
        refreshTokenExpiresAt: connection.refreshTokenExpiresAt ?? null,
      },
    }),
  ]);
  // A different GitHub account replaced this one: its grant is of no use to us any more.
  if (previous && previous.githubUserId !== connection.githubUserId) {
    await revokeQuietly(previous.id, previous.accessTokenEnc);
  }
}

export function githubNotConnected() {
  return new ApiError("forbidden", "Connect your GitHub account first.");
}

export function githubReconnectRequired() {
  return new ApiError("forbidden", "Your GitHub authorization has expired or was revoked. Connect GitHub again.");
}

/** A working GitHub user token for a Miro user, refreshed first when due. */
export async function getGithubAccessToken(miroUserId: string): Promise<string> {
  const db = await getDb();
  const account = await db.githubAccount.findUnique({ where: { miroUserId } });
  if (!account) throw githubNotConnected();
  const outcome = await usableAccessToken(
    "github_accounts",
    account,
    refreshGithubToken,
    (error) => error instanceof GithubOAuthError && error.permanent,
  );
  if (outcome.kind === "ok") return outcome.accessToken;
  if (outcome.kind === "gone") throw githubNotConnected();
  throw githubReconnectRequired();
}

/** "Disconnect GitHub": tokens deleted first, then the grant revoked where GitHub allows. */
export async function disconnectGithub(miroUserId: string): Promise<boolean> {
  const db = await getDb();
  const account = await db.githubAccount.findUnique({ where: { miroUserId } });
  if (!account) return false;
  await db.githubAccount.delete({ where: { id: account.id } });
  await revokeQuietly(account.id, account.accessTokenEnc);
  return true;
}

async function revokeQuietly(rowId: string, accessTokenEnc: string) {
  try {
    await revokeGithubGrant(openToken("github_accounts", "access_token_enc", rowId, accessTokenEnc));
  } catch (error) {
    console.warn(`[github] could not revoke a grant (tokens already deleted): ${error instanceof Error ? error.message : error}`);
  }
}

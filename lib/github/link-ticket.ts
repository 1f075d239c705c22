import { z } from "zod";
import { hashOneTimeSecret, newOneTimeSecret } from "../crypto/one-time-secret";
import { openToken, sealToken } from "../crypto/tokens";
import { getDb } from "../db/client";
import { ApiError } from "../http/api-error";
import type { MiroIdentity } from "../miro/verify-id-token";
import { type GithubConnection, saveGithubAccount } from "./account-store";

/**
 * Link tickets carry "which Miro user is connecting" through the GitHub sign-in popup, where there
 * is no Miro id token (docs/decisions/0005-github-connect-with-link-tickets.md):
 *
 * 1. the panel obtains a ticket with its id token (`createLinkTicket`);
 * 2. the popup carries it through GitHub's sign-in; our sign-in callback uses it up and parks the
 *    GitHub account on it, encrypted, with a completion code that only that popup receives
 *    (`parkGithubSignIn`);
 * 3. the popup hands the code to the panel that opened it, and the panel — with its id token, so
 *    as the ticket's own Miro user — completes the link (`completeLink`).
 *
 * Step 3 is what stops a forced link: a ticket sent to someone else's browser gets *their* GitHub
 * signed in, but the code stays in their browser, so the ticket's owner can't complete the link.
 * Secrets are stored hashed; tickets are single use and live 10 minutes.
 */
export const LINK_TICKET_TTL_MS = 10 * 60 * 1000;
export const LINK_TICKET_COOKIE = "cardbridge-link-ticket";

const pendingAccount = z.object({
  githubUserId: z.string(),
  login: z.string(),
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  accessTokenExpiresAt: z.coerce.date().optional(),
  refreshTokenExpiresAt: z.coerce.date().optional(),
});

function expiredTicket() {
  return new ApiError(
    "bad_request",
    "This connection link has expired or was already used. Close this window and click Connect GitHub again.",
  );
}

export async function createLinkTicket({ userId, teamId }: MiroIdentity): Promise<string> {
  const db = await getDb();
  const { raw, hash } = newOneTimeSecret();
  await db.linkTicket.create({
    data: { ticketHash: hash, miroUserId: userId, teamId, expiresAt: new Date(Date.now() + LINK_TICKET_TTL_MS) },
  });
  return raw;
}

/** Whether a ticket could still be used (the popup checks before sending the user to GitHub). */
export async function assertLinkTicketUsable(raw: string): Promise<void> {
  const db = await getDb();
  const ticket = await db.linkTicket.findUnique({ where: { ticketHash: hashOneTimeSecret(raw) } });
  if (!ticket || ticket.usedAt || ticket.expiresAt <= new Date()) throw expiredTicket();
}

/**
 * Step 2: uses the ticket up and parks the signed-in GitHub account on it. Returns the completion
 * code for the popup to hand to the panel.
 */
export async function parkGithubSignIn(raw: string, account: GithubConnection): Promise<string> {
  const db = await getDb();
  const hash = hashOneTimeSecret(raw);
  const ticket = await db.linkTicket.findUnique({ where: { ticketHash: hash } });
  if (!ticket) throw expiredTicket();
  const completion = newOneTimeSecret();
  // One conditional UPDATE: two callbacks racing with the same ticket can't both win.
  const { count } = await db.linkTicket.updateMany({
    where: { id: ticket.id, usedAt: null, expiresAt: { gt: new Date() } },
    data: {
      usedAt: new Date(),
      completionHash: completion.hash,
      pendingEnc: sealToken("link_tickets", "pending_enc", ticket.id, JSON.stringify(account)),
    },
  });
  if (count !== 1) throw expiredTicket();
  return completion.raw;
}

/** The GitHub login parked under a completion code, for the popup's last page. */
export async function parkedLogin(completionCode: string): Promise<string | undefined> {
  const db = await getDb();
  const ticket = await db.linkTicket.findUnique({ where: { completionHash: hashOneTimeSecret(completionCode) } });
  if (!ticket?.pendingEnc || ticket.completedAt) return undefined;
  return readPending(ticket.id, ticket.pendingEnc).login;
}

/**
 * Step 3: the panel completes the link as the ticket's own Miro user, with the code the popup gave
 * it. A ticket minted for someone else, a wrong code, or a second completion is refused.
 */
export async function completeLink(
  miro: MiroIdentity,
  { ticket: rawTicket, code }: { ticket: string; code: string },
): Promise<{ login: string }> {
  const db = await getDb();
  const ticket = await db.linkTicket.findUnique({ where: { ticketHash: hashOneTimeSecret(rawTicket) } });
  if (!ticket) throw expiredTicket();
  if (ticket.miroUserId !== miro.userId || ticket.teamId !== miro.teamId) {
    throw new ApiError("forbidden", "This connection link was made for another Miro user.");
  }
  if (!ticket.usedAt || !ticket.pendingEnc || ticket.completedAt) throw expiredTicket();
  if (ticket.completionHash !== hashOneTimeSecret(code)) {
    throw new ApiError("forbidden", "This sign-in was completed in another browser window; connect GitHub again from here.");
  }
  if (Date.now() - ticket.usedAt.getTime() > LINK_TICKET_TTL_MS) throw expiredTicket();
  const { count } = await db.linkTicket.updateMany({
    where: { id: ticket.id, completedAt: null },
    data: { completedAt: new Date(), pendingEnc: null },
  });
  if (count !== 1) throw expiredTicket();
  const account = readPending(ticket.id, ticket.pendingEnc);
  await saveGithubAccount(miro.userId, account);
  return { login: account.login };
}

function readPending(rowId: string, sealed: string): GithubConnection {
  return pendingAccount.parse(JSON.parse(openToken("link_tickets", "pending_enc", rowId, sealed)));
}

import { hashOneTimeSecret, newOneTimeSecret } from "../crypto/one-time-secret";
import { getDb } from "../db/client";
import { ApiError } from "../http/api-error";
import type { MiroIdentity } from "../miro/verify-id-token";

/**
 * Link tickets carry "which Miro user is connecting" through the GitHub sign-in popup, where there
 * is no Miro id token: the panel obtains one with its id token, the popup hands it to our sign-in
 * callback, and the GitHub account is linked to that Miro user and nobody else. Stored hashed,
 * single use, 10 minutes.
 */
export const LINK_TICKET_TTL_MS = 10 * 60 * 1000;
export const LINK_TICKET_COOKIE = "cardbridge-link-ticket";

export async function createLinkTicket({ userId, teamId }: MiroIdentity): Promise<string> {
  const db = await getDb();
  const { raw, hash } = newOneTimeSecret();
  await db.linkTicket.create({
    data: { ticketHash: hash, miroUserId: userId, teamId, expiresAt: new Date(Date.now() + LINK_TICKET_TTL_MS) },
  });
  return raw;
}

function invalidTicket() {
  return new ApiError(
    "bad_request",
    "This connection link has expired or was already used. Close this window and click Connect GitHub again.",
  );
}

/** Whether a ticket could still be used (the popup checks before sending the user to GitHub). */
export async function assertLinkTicketUsable(raw: string): Promise<void> {
  const db = await getDb();
  const ticket = await db.linkTicket.findUnique({ where: { ticketHash: hashOneTimeSecret(raw) } });
  if (!ticket || ticket.usedAt || ticket.expiresAt <= new Date()) throw invalidTicket();
}

/**
 * Uses a ticket up and returns the Miro user it was minted for. `expectedUserId`, when the caller
 * knows who should be holding it, refuses a ticket minted for someone else.
 */
export async function consumeLinkTicket(raw: string, expectedUserId?: string): Promise<MiroIdentity> {
  const db = await getDb();
  const hash = hashOneTimeSecret(raw);
  const ticket = await db.linkTicket.findUnique({ where: { ticketHash: hash } });
  if (!ticket) throw invalidTicket();
  if (expectedUserId !== undefined && ticket.miroUserId !== expectedUserId) {
    throw new ApiError("forbidden", "This connection link was made for another Miro user.");
  }
  // One conditional UPDATE: two callbacks racing with the same ticket can't both win.
  const { count } = await db.linkTicket.updateMany({
    where: { ticketHash: hash, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (count !== 1) throw invalidTicket();
  return { userId: ticket.miroUserId, teamId: ticket.teamId };
}

/** The Miro user a recently used ticket linked, for the popup's "connected" page. */
export async function findUsedLinkTicket(raw: string): Promise<MiroIdentity | undefined> {
  const db = await getDb();
  const ticket = await db.linkTicket.findUnique({ where: { ticketHash: hashOneTimeSecret(raw) } });
  if (!ticket?.usedAt || Date.now() - ticket.usedAt.getTime() > LINK_TICKET_TTL_MS) return undefined;
  return { userId: ticket.miroUserId, teamId: ticket.teamId };
}

import { cookies } from "next/headers";
import { ConnectDone } from "@/components/connect-done";
import { getDb } from "@/lib/db/client";
import { findUsedLinkTicket, LINK_TICKET_COOKIE } from "@/lib/github/link-ticket";

export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  TicketInvalid: "This connection link has expired or was already used. Close this window and click Connect GitHub again.",
  NoTicket: "This window lost track of which Miro user is connecting. Close it and click Connect GitHub again from the panel.",
  AccessDenied: "GitHub sign-in was cancelled.",
  OAuthCallback: "GitHub did not complete the sign-in. Close this window and try again.",
};

// Where the popup lands: says who is connected (or what went wrong), tells the panel, and closes.
export default async function ConnectDonePage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  if (error) {
    return <ConnectDone ok={false} message={ERRORS[error] ?? "GitHub could not be connected. Close this window and try again."} />;
  }
  const ticket = (await cookies()).get(LINK_TICKET_COOKIE)?.value;
  const miro = ticket ? await findUsedLinkTicket(ticket) : undefined;
  const account = miro
    ? await (await getDb()).githubAccount.findUnique({ where: { miroUserId: miro.userId }, select: { login: true } })
    : null;
  if (!account) return <ConnectDone ok={false} message={ERRORS.NoTicket!} />;
  return <ConnectDone ok message={`GitHub connected as @${account.login}. You can close this window.`} />;
}

import { env } from "@/lib/env";
import { createLinkTicket } from "@/lib/github/link-ticket";
import { withMiroUser } from "@/lib/http/with-miro-user";

export const dynamic = "force-dynamic";

// POST /api/github/link-tickets – the panel gets a one-time link for the "Connect GitHub" popup
export const POST = withMiroUser(async ({ miro }) => {
  const ticket = await createLinkTicket(miro);
  const url = new URL(`${env().APP_URL}/api/github/connect`);
  url.searchParams.set("ticket", ticket);
  // The panel keeps the ticket to complete the link once the popup hands it the completion code.
  return Response.json({ url: url.toString(), ticket }, { status: 201, headers: { "cache-control": "no-store" } });
});

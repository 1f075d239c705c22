import { env } from "@/lib/env";
import { assertLinkTicketUsable, LINK_TICKET_COOKIE, LINK_TICKET_TTL_MS } from "@/lib/github/link-ticket";
import { ApiError } from "@/lib/http/api-error";
import { htmlPage } from "@/lib/http/html-page";

export const dynamic = "force-dynamic";

// GET /api/github/connect?ticket=… – the popup's first stop: keep the ticket in a cookie, then sign in with GitHub
export async function GET(request: Request) {
  const ticket = new URL(request.url).searchParams.get("ticket") ?? "";
  try {
    if (!ticket || ticket.length > 200) throw new ApiError("bad_request", "This connection link is incomplete.");
    await assertLinkTicketUsable(ticket);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return htmlPage({ title: "GitHub was not connected", message: error.message, status: error.status });
  }
  const secure = env().APP_URL.startsWith("https:");
  // SameSite=Lax: sent on GitHub's top-level redirect back to our callback, not on cross-site subrequests.
  const cookie = [
    `${LINK_TICKET_COOKIE}=${ticket}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${LINK_TICKET_TTL_MS / 1000}`,
    secure ? "Secure" : "",
  ]
    .filter(Boolean)
    .join("; ");
  return new Response(null, {
    status: 303,
    headers: { location: `${env().APP_URL}/connect/github`, "set-cookie": cookie, "cache-control": "no-store" },
  });
}

import { env } from "@/lib/env";
import { withHandler } from "@/lib/http/with-handler";
import { createMiroOAuthState } from "@/lib/miro/oauth-state";
import { miroRedirectUri, miroWebUrl } from "@/lib/miro/web-url";

export const dynamic = "force-dynamic";

// GET /api/miro/oauth/start – the panel's "Reconnect Miro": Miro's authorize page, with a one-time state
export const GET = withHandler(async () => {
  const authorize = new URL(`${miroWebUrl()}/oauth/authorize`);
  authorize.searchParams.set("response_type", "code");
  authorize.searchParams.set("client_id", env().MIRO_CLIENT_ID);
  authorize.searchParams.set("redirect_uri", miroRedirectUri());
  authorize.searchParams.set("state", await createMiroOAuthState());
  return new Response(null, { status: 302, headers: { location: authorize.toString(), "cache-control": "no-store" } });
});

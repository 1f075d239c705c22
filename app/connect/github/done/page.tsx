import { ConnectDone } from "@/components/connect-done";
import { parkedLogin } from "@/lib/github/link-ticket";

export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  TicketInvalid: "This connection link has expired or was already used. Close this window and click Connect GitHub again.",
  NoTicket: "This window lost track of which Miro user is connecting. Close it and click Connect GitHub again from the panel.",
  AccessDenied: "GitHub sign-in was cancelled.",
  OAuthCallback: "GitHub did not complete the sign-in. Close this window and try again.",
};

// Where the popup lands: hands the completion code to the panel that opened it, which finishes the link.
export default async function ConnectDonePage({ searchParams }: { searchParams: Promise<{ error?: string; code?: string }> }) {
  const { error, code } = await searchParams;
  const login = !error && code ? await parkedLogin(code) : undefined;
  if (!code || !login) {
    const message = (error && ERRORS[error]) ?? ERRORS.TicketInvalid!;
    return <ConnectDone result={{ ok: false, message }} />;
  }
  return <ConnectDone result={{ ok: true, login, code }} />;
}

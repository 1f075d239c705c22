import type { Router } from "../shared/router";
import type { MiroEmulatorContext } from "./context";

/**
 * `GET /oauth/authorize`: Miro's consent page for a flow the app starts itself (the panel's
 * "Reconnect Miro"). Miro shows the signed-in user a team picker and an "Allow" button; here the
 * tester picks which emulated user and team approve. "Allow" redirects to the app's redirect URI
 * with `code`, `state`, `client_id` and `team_id`, as Miro does.
 * https://developers.miro.com/docs/getting-started-with-oauth#step-2-request-authorization
 */
export function mountAuthorizePage(router: Router, context: MiroEmulatorContext) {
  const { state, options } = context;

  const refuse = (message: string) => ({
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: page("Authorization failed", `<p>${escapeHtml(message)}</p>`),
  });

  router.get("/oauth/authorize", (req) => {
    const query = req.url.searchParams;
    if (query.get("response_type") !== "code") return refuse("response_type must be code");
    if (query.get("client_id") !== options.clientId) return refuse("Unknown client_id");
    const redirectUri = query.get("redirect_uri") ?? options.redirectUri;
    if (redirectUri !== options.redirectUri) return refuse("redirect_uri does not match the app's redirect URI");
    const choices = [...state.users.values()].flatMap((user) =>
      [...(state.memberships.get(user.id) ?? [])].map((teamId) => ({ user, team: state.teams.get(teamId) })),
    );
    const buttons = choices
      .filter((choice) => choice.team)
      .map(
        ({ user, team }) => `<form method="post" action="/oauth/authorize">
  <input type="hidden" name="state" value="${escapeHtml(query.get("state") ?? "")}">
  <input type="hidden" name="user_id" value="${user.id}"><input type="hidden" name="team_id" value="${team!.id}">
  <button type="submit">Allow as ${escapeHtml(user.name)} on ${escapeHtml(team!.name)}</button>
</form>`,
      )
      .join("\n");
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: page("Cardbridge wants to access your boards", `<p>Choose who approves (emulated Miro).</p>${buttons}`),
    };
  });

  router.post("/oauth/authorize", (req) => {
    const form = req.form();
    const userId = form.get("user_id") ?? "";
    const teamId = form.get("team_id") ?? "";
    if (!state.memberships.get(userId)?.has(teamId)) return refuse("That user is not a member of that team");
    const target = new URL(options.redirectUri);
    target.searchParams.set("code", context.oauth.issueCode(userId, teamId));
    const stateParam = form.get("state");
    if (stateParam) target.searchParams.set("state", stateParam);
    target.searchParams.set("client_id", options.clientId);
    target.searchParams.set("team_id", teamId);
    return { status: 302, headers: { location: target.toString() } };
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;color:#050038;max-width:480px;margin:48px auto}button{display:block;margin:8px 0;padding:10px 16px;border:0;border-radius:8px;background:#4262ff;color:#fff;font-size:14px;cursor:pointer}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

import { timingSafeEqual } from "node:crypto";
import type { EmulatorReply, EmulatorRequest } from "../shared/router";
import type { GithubEmulatorContext, MountFn } from "./context";
import { githubError } from "./http";
import { escapeHtml, page } from "./html";
import { pkceChallenge } from "./state";

/**
 * The web application flow of a GitHub App with expiring user tokens:
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 *
 * The token endpoint reports failures GitHub's way: status 200 with `error`, `error_description`
 * and `error_uri` in the body
 * (https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors).
 */

const TROUBLESHOOTING =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

const TOKEN_ERRORS = {
  bad_verification_code: ["The code passed is incorrect or expired.", "#bad-verification-code"],
  incorrect_client_credentials: [
    "The client_id and/or client_secret passed are incorrect.",
    "#incorrect-client-credentials",
  ],
  redirect_uri_mismatch: [
    "The redirect_uri MUST match the registered callback URL for this application.",
    "#redirect-uri-mismatch2",
  ],
  bad_refresh_token: ["The refresh token passed is incorrect or expired.", "#bad-verification-code"],
  unsupported_grant_type: ["The grant type is not supported.", ""],
} as const;

type TokenError = keyof typeof TOKEN_ERRORS;

function safeEqual(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** GitHub answers JSON for `Accept: application/json`, form encoding otherwise. */
function tokenReply(req: EmulatorRequest, fields: Record<string, string | number>): EmulatorReply {
  if ((req.headers.accept ?? "").includes("application/json")) return { status: 200, body: fields };
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return {
    status: 200,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: form.toString(),
  };
}

function tokenError(req: EmulatorRequest, error: TokenError, description?: string) {
  const [message, anchor] = TOKEN_ERRORS[error];
  return tokenReply(req, {
    error,
    error_description: description ?? message,
    error_uri: `${TROUBLESHOOTING}/${anchor}`,
  });
}

/** Parameters from the query string and the body (form or JSON), as GitHub accepts both. */
function tokenParams(req: EmulatorRequest): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(req.url.searchParams);
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) {
    for (const [key, value] of Object.entries(req.json<Record<string, unknown>>() ?? {})) {
      if (value !== undefined && value !== null) params[key] = String(value);
    }
  } else {
    for (const [key, value] of req.form()) params[key] = value;
  }
  return params;
}

/** Client credentials from the body, or from HTTP Basic (next-auth's openid-client sends client_secret_basic). */
function clientCredentials(req: EmulatorRequest, params: Record<string, string>) {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  }
  return { clientId: params.client_id ?? "", clientSecret: params.client_secret ?? "" };
}

export function redirectUriAllowed(context: GithubEmulatorContext, redirectUri: string) {
  const allowed = context.options.callbackUrls;
  // GitHub accepts a redirect_uri whose host and port match and whose path is under the callback URL's.
  return !allowed?.length || allowed.some((callback) => redirectUri.startsWith(callback));
}

function withParams(url: string, params: Record<string, string | undefined>) {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, value);
  return target.toString();
}

type AuthorizeParams = {
  clientId: string;
  redirectUri: string | undefined;
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  login: string | undefined;
};

function authorizeParams(source: URLSearchParams): AuthorizeParams {
  return {
    clientId: source.get("client_id") ?? "",
    redirectUri: source.get("redirect_uri") ?? undefined,
    state: source.get("state") ?? undefined,
    codeChallenge: source.get("code_challenge") ?? undefined,
    codeChallengeMethod: source.get("code_challenge_method") ?? undefined,
    login: source.get("login") ?? undefined,
  };
}

/** Checks an authorize request; answers the error page or redirect GitHub would, or the redirect URI to use. */
function checkAuthorize(
  context: GithubEmulatorContext,
  params: AuthorizeParams,
): { reply: EmulatorReply } | { redirectUri: string } {
  if (params.clientId !== context.options.clientId) {
    return {
      reply: { ...page("Not Found", "<h1>404</h1><p>This is not the web page you are looking for.</p>"), status: 404 },
    };
  }
  const fallback = context.options.callbackUrls?.[0];
  const redirectUri = params.redirectUri ?? fallback;
  if (!redirectUri) {
    return {
      reply: {
        ...page("Error", "<h1>Missing redirect_uri</h1><p>This application has no callback URL.</p>"),
        status: 400,
      },
    };
  }
  if (!redirectUriAllowed(context, redirectUri)) {
    // GitHub sends the user back to the registered callback with the error.
    return {
      reply: {
        status: 302,
        headers: {
          location: withParams(fallback!, {
            error: "redirect_uri_mismatch",
            error_description: "The redirect_uri MUST match the registered callback URL for this application.",
            error_uri:
              "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch",
            state: params.state,
          }),
        },
      },
    };
  }
  if (params.codeChallenge && params.codeChallengeMethod !== "S256") {
    // GitHub supports only the S256 method.
    return {
      reply: {
        status: 302,
        headers: {
          location: withParams(redirectUri, {
            error: "invalid_request",
            error_description: "code_challenge_method must be S256",
            state: params.state,
          }),
        },
      },
    };
  }
  return { redirectUri };
}

export const mountOAuth: MountFn = (router, context) => {
  const { state, options } = context;
  const appName = options.appSlug ?? "cardbridge";

  // GET /login/oauth/authorize: the consent page, where the tester picks who signs in.
  router.get("/login/oauth/authorize", (req) => {
    const params = authorizeParams(req.url.searchParams);
    const checked = checkAuthorize(context, params);
    if ("reply" in checked) return checked.reply;
    const hidden = Object.entries({
      client_id: params.clientId,
      redirect_uri: checked.redirectUri,
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: params.codeChallengeMethod,
    })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
      .join("");
    // The user named by `login` (GitHub's hint) comes first, then octocat, then the rest.
    const preferred = params.login ?? "octocat";
    const rank = (login: string) => (login === preferred ? 0 : 1);
    const users = [...state.accounts.values()]
      .filter((a) => a.type === "User")
      .sort((a, b) => rank(a.login) - rank(b.login) || a.login.localeCompare(b.login));
    const buttons = users
      .map(
        (user) =>
          `<p><button type="submit" name="login" value="${escapeHtml(user.login)}" class="${user.login === preferred ? "primary" : ""}">Continue as ${escapeHtml(user.login)}</button>
           <span class="muted">${escapeHtml(user.name)}${user.bio ? ` · ${escapeHtml(user.bio)}` : ""}</span></p>`,
      )
      .join("");
    const host = (() => {
      try {
        return new URL(checked.redirectUri).host;
      } catch {
        return checked.redirectUri;
      }
    })();
    return page(
      `Authorize ${appName}`,
      `<h1>Authorize ${escapeHtml(appName)}</h1>
       <p class="muted">${escapeHtml(appName)} wants to act on your behalf: read and write issues in the repositories it is installed on.
       After you authorize, you will be redirected to <strong>${escapeHtml(host)}</strong>.</p>
       <form method="post" action="/login/oauth/authorize">${hidden}
         <p>Sign in as an emulated user:</p>${buttons}
         <p><button type="submit" name="cancel" value="1" class="danger">Cancel</button></p>
       </form>`,
    );
  });

  // POST /login/oauth/authorize: the consent form; redirects back with `code` and `state`.
  router.post("/login/oauth/authorize", (req) => {
    const form = req.form();
    const params = authorizeParams(form);
    const checked = checkAuthorize(context, params);
    if ("reply" in checked) return checked.reply;
    if (form.get("cancel")) {
      return {
        status: 302,
        headers: {
          location: withParams(checked.redirectUri, {
            error: "access_denied",
            error_description: "The user has denied your application access.",
            error_uri:
              "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied",
            state: params.state,
          }),
        },
      };
    }
    const login = form.get("login") ?? "";
    if (!state.account(login)) return { ...page("Error", "<h1>Unknown user</h1>"), status: 422 };
    const code = state.issueCode({
      login,
      clientId: params.clientId,
      redirectUri: params.redirectUri ?? null,
      codeChallenge: params.codeChallenge ?? null,
    });
    return { status: 302, headers: { location: withParams(checked.redirectUri, { code, state: params.state }) } };
  });

  // POST /login/oauth/access_token: exchange a code, or rotate with a refresh token.
  router.post("/login/oauth/access_token", (req) => {
    const params = tokenParams(req);
    const client = clientCredentials(req, params);
    if (!safeEqual(client.clientId, options.clientId) || !safeEqual(client.clientSecret, options.clientSecret)) {
      return tokenError(req, "incorrect_client_credentials");
    }
    const grant = params.grant_type ?? "authorization_code";

    if (grant === "refresh_token") {
      const refresh = state.tokens.get(params.refresh_token ?? "");
      if (refresh?.kind !== "refresh" || refresh.clientId !== client.clientId || refresh.expiresAt <= state.now()) {
        return tokenError(req, "bad_refresh_token");
      }
      // Refreshing rotates: the old refresh token and its access token die with it.
      state.revokePair(refresh.pairId);
      return tokenReply(req, state.issueTokens(refresh.login, client.clientId));
    }
    if (grant !== "authorization_code") return tokenError(req, "unsupported_grant_type");

    const code = state.codes.get(params.code ?? "");
    if (!code || code.used || code.expiresAt <= state.now() || code.clientId !== client.clientId) {
      return tokenError(req, "bad_verification_code");
    }
    if (params.redirect_uri && code.redirectUri && params.redirect_uri !== code.redirectUri) {
      return tokenError(req, "redirect_uri_mismatch");
    }
    if (code.codeChallenge) {
      const verifier = params.code_verifier ?? "";
      if (!verifier || !safeEqual(pkceChallenge(verifier), code.codeChallenge)) {
        return tokenError(req, "bad_verification_code", "The code_verifier does not match the code_challenge.");
      }
    }
    code.used = true;
    return tokenReply(req, state.issueTokens(code.login, client.clientId));
  });

  /** Basic auth with the app's client id and secret, as the `/applications/{client_id}/...` endpoints require. */
  const appAuthorized = (req: EmulatorRequest) => {
    const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!basic?.[1]) return false;
    const [id, ...rest] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    return (
      req.params.clientId === options.clientId &&
      safeEqual(id ?? "", options.clientId) &&
      safeEqual(rest.join(":"), options.clientSecret)
    );
  };

  const revoke = (scope: "grant" | "token") => (req: EmulatorRequest) => {
    if (!appAuthorized(req))
      return githubError(404, "Not Found", undefined, "https://docs.github.com/rest/apps/oauth-applications");
    const body = req.json<{ access_token?: unknown }>();
    if (typeof body?.access_token !== "string") {
      return githubError(
        422,
        'Invalid request.\n\n"access_token" wasn\'t supplied.',
        undefined,
        "https://docs.github.com/rest/apps/oauth-applications",
      );
    }
    const token = state.accessToken(body.access_token);
    if (!token) return githubError(404, "Not Found", undefined, "https://docs.github.com/rest/apps/oauth-applications");
    if (scope === "grant") state.revokeGrant(token.login, token.clientId);
    else state.revokePair(token.pairId);
    return { status: 204 };
  };

  // DELETE /applications/{client_id}/grant: the user's authorization and every token of it.
  router.delete("/applications/:clientId/grant", revoke("grant"));
  // DELETE /applications/{client_id}/token: one token (and its refresh token).
  router.delete("/applications/:clientId/token", revoke("token"));
};

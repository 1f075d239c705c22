import { z } from "zod";
import { env } from "../env";
import type { RefreshedTokens } from "../db/refresh-token-row";

/**
 * The GitHub App's user-to-server tokens: 8 hours, refreshed with a 6-month refresh token that
 * rotates on use. next-auth does the sign-in; refreshing and revoking are ours.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */

export class GithubOAuthError extends Error {
  constructor(
    message: string,
    /** GitHub refused the grant itself (bad_refresh_token …): retrying won't help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "GithubOAuthError";
  }
}

const tokenAnswer = z.union([
  z.object({
    access_token: z.string().min(1),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.coerce.number().positive().optional(),
    refresh_token_expires_in: z.coerce.number().positive().optional(),
  }),
  // GitHub answers OAuth errors with 200 and an `error` field.
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

/** Turns a token answer's relative lifetimes into dates. */
export function tokenLifetimes(
  answer: { expires_in?: number; refresh_token_expires_in?: number },
  now = Date.now(),
): Pick<RefreshedTokens, "accessTokenExpiresAt" | "refreshTokenExpiresAt"> {
  return {
    accessTokenExpiresAt: answer.expires_in ? new Date(now + answer.expires_in * 1000) : undefined,
    refreshTokenExpiresAt: answer.refresh_token_expires_in ? new Date(now + answer.refresh_token_expires_in * 1000) : undefined,
  };
}

export async function refreshGithubToken(refreshToken: string): Promise<RefreshedTokens> {
  const { GITHUB_WEB_URL, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET } = env();
  let response: Response;
  try {
    response = await fetch(`${GITHUB_WEB_URL}/login/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: GITHUB_CLIENT_ID,
        client_secret: GITHUB_CLIENT_SECRET,
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new GithubOAuthError(`GitHub's token endpoint is unreachable (${cause instanceof Error ? cause.name : "error"})`, false);
  }
  if (!response.ok) throw new GithubOAuthError(`GitHub's token endpoint answered HTTP ${response.status}`, response.status < 500 && response.status !== 429);
  const parsed = tokenAnswer.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new GithubOAuthError("GitHub's token response was not understood", false);
  if ("error" in parsed.data) {
    // bad_refresh_token: revoked, expired or already used. incorrect_client_credentials: our config.
    throw new GithubOAuthError(`GitHub refused the refresh: ${parsed.data.error}`, parsed.data.error === "bad_refresh_token");
  }
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    ...tokenLifetimes(parsed.data),
  };
}

/**
 * Revokes the user's whole authorization of the app (DELETE /applications/{client_id}/grant), so
 * "Disconnect" leaves no working token anywhere. A token GitHub no longer knows counts as revoked.
 * https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization
 */
export async function revokeGithubGrant(accessToken: string): Promise<void> {
  const { GITHUB_API_URL, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET } = env();
  const basic = Buffer.from(`${GITHUB_CLIENT_ID}:${GITHUB_CLIENT_SECRET}`).toString("base64");
  const response = await fetch(`${GITHUB_API_URL}/applications/${encodeURIComponent(GITHUB_CLIENT_ID)}/grant`, {
    method: "DELETE",
    headers: {
      authorization: `Basic ${basic}`,
      accept: "application/vnd.github+json",
      "content-type": "application/json",
      "x-github-api-version": "2022-11-28",
    },
    body: JSON.stringify({ access_token: accessToken }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok && response.status !== 404) {
    throw new GithubOAuthError(`GitHub refused to revoke the grant (HTTP ${response.status})`, false);
  }
}

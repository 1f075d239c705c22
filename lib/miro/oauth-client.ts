import { z } from "zod";
import { env } from "../env";

/**
 * Miro's OAuth token endpoint, called directly (docs/decisions/0004-miro-oauth-client.md):
 * @mirohq/miro-api puts the client secret in the query string (it ends up in proxy and access
 * logs) and hard-codes api.miro.com; we send the credentials in the form body to MIRO_API_URL.
 * https://developers.miro.com/reference/authorization-flow-for-expiring-tokens
 */

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
  scope: z.string().default(""),
  // Miro documents these as strings; never let a 19-digit id pass through a JS number.
  user_id: z.union([z.string(), z.number()]).transform(String),
  team_id: z.union([z.string(), z.number()]).transform(String),
});

export type MiroTokenSet = {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires; undefined for non-expiring tokens. */
  accessTokenExpiresAt?: Date;
  /** Miro's refresh tokens live 60 days and aren't dated in the response. */
  refreshTokenExpiresAt?: Date;
  scopes: string;
  userId: string;
  teamId: string;
};

const REFRESH_TOKEN_LIFETIME_MS = 60 * 24 * 60 * 60 * 1000;

export class MiroOAuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The grant itself is dead (bad code, revoked or expired refresh token): retrying won't help. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "MiroOAuthError";
  }
}

async function tokenRequest(params: Record<string, string>): Promise<MiroTokenSet> {
  const { MIRO_API_URL, MIRO_CLIENT_ID, MIRO_CLIENT_SECRET } = env();
  const body = new URLSearchParams({ ...params, client_id: MIRO_CLIENT_ID, client_secret: MIRO_CLIENT_SECRET });
  let response: Response;
  try {
    response = await fetch(`${MIRO_API_URL}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new MiroOAuthError(`Miro's token endpoint is unreachable (${describeCause(cause)})`, 503, false);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    // 4xx other than rate limiting means Miro refused this grant: it will refuse it again.
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    const reason = errorText(payload) ?? `HTTP ${response.status}`;
    throw new MiroOAuthError(`Miro refused the token request: ${reason}`, response.status, permanent);
  }
  const parsed = tokenResponse.safeParse(payload);
  if (!parsed.success) throw new MiroOAuthError("Miro's token response was not understood", 502, false);
  const now = Date.now();
  const token = parsed.data;
  return {
    accessToken: token.access_token,
    refreshToken: token.refresh_token,
    accessTokenExpiresAt: token.expires_in ? new Date(now + token.expires_in * 1000) : undefined,
    refreshTokenExpiresAt: token.refresh_token ? new Date(now + REFRESH_TOKEN_LIFETIME_MS) : undefined,
    scopes: token.scope,
    userId: token.user_id,
    teamId: token.team_id,
  };
}

export function exchangeMiroCode(code: string, redirectUri: string): Promise<MiroTokenSet> {
  return tokenRequest({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
}

export function refreshMiroToken(refreshToken: string): Promise<MiroTokenSet> {
  return tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken });
}

/** Revokes an access token (and its refresh token). A token Miro no longer knows counts as revoked. */
export async function revokeMiroToken(accessToken: string): Promise<void> {
  const { MIRO_API_URL, MIRO_CLIENT_ID, MIRO_CLIENT_SECRET } = env();
  const response = await fetch(`${MIRO_API_URL}/v2/oauth/revoke`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ accessToken, clientId: MIRO_CLIENT_ID, clientSecret: MIRO_CLIENT_SECRET }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok && response.status !== 404) {
    throw new MiroOAuthError(`Miro refused to revoke the token (HTTP ${response.status})`, response.status, false);
  }
}

/** The user's and team's names for a token (GET /v1/oauth-token). */
export async function getMiroTokenContext(accessToken: string) {
  const response = await fetch(`${env().MIRO_API_URL}/v1/oauth-token`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new MiroOAuthError(`Miro token context: HTTP ${response.status}`, response.status, false);
  const body = (await response.json()) as { user?: { name?: string }; team?: { name?: string } };
  return { userName: body.user?.name, teamName: body.team?.name };
}

function errorText(payload: unknown): string | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const record = payload as Record<string, unknown>;
  const text = record.error_description ?? record.message ?? record.error;
  return typeof text === "string" ? text.slice(0, 200) : undefined;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.name : "network error";
}

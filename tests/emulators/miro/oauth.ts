import { randomBytes } from "node:crypto";
import type { EmulatorRequest, Router } from "../shared/router";
import type { Clock } from "./clock";
import type { MiroEmulatorOptions } from "./context";
import { MiroHttpError, miroErrors } from "./errors";
import type { MiroState } from "./state";

/**
 * Miro's OAuth 2.0 authorization-code flow, as its guides describe it
 * (https://developers.miro.com/reference/authorization-flow-for-expiring-tokens):
 * - an authorization code is single use and expires 10 minutes after issue;
 * - with "expire user authorization token" on, the access token lives 3599 s and comes with a
 *   refresh token that lives 60 days; every refresh returns a new pair and kills the old one
 *   (access AND refresh), so a client that refreshes twice with the same refresh token fails;
 * - without it the access token lives until the app is uninstalled and there is no refresh token.
 * The token endpoint (`POST /v1/oauth/token`) is not in the OpenAPI description; its answer is the
 * guides' "Authorization model". Miro reads its parameters from the form body or the query string
 * (its guides use the query; the official Node client too), so both are accepted here.
 */

export const CODE_TTL_MS = 10 * 60 * 1000;
export const ACCESS_TOKEN_TTL_S = 3599;
export const REFRESH_TOKEN_TTL_MS = 60 * 24 * 60 * 60 * 1000;
export const SCOPES = ["boards:read", "boards:write"] as const;

/** Who a token acts for: the user who installed the app, on the team they installed it on. */
export type TokenGrant = { userId: string; teamId: string; scopes: string[]; createdAt: number };

type AccessTokenRecord = TokenGrant & { token: string; expiresAt: number | null; refreshToken: string | null };
type RefreshTokenRecord = TokenGrant & { token: string; expiresAt: number; accessToken: string };
type CodeRecord = { userId: string; teamId: string; expiresAt: number; used: boolean };

/** The token endpoint's answer (the guides' "Authorization model"). Ids are strings. */
export type TokenResponse = {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  token_type: "bearer";
  scope: string;
  user_id: string;
  team_id: string;
};

export class MiroOAuth {
  private codes = new Map<string, CodeRecord>();
  private accessTokens = new Map<string, AccessTokenRecord>();
  private refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(
    private readonly state: MiroState,
    private readonly options: Required<MiroEmulatorOptions>,
    private readonly clock: Clock,
  ) {}

  /** A single-use authorization code (valid 10 minutes) for a user installing the app on a team. */
  issueCode(userId: string, teamId: string): string {
    this.assertMember(userId, teamId);
    const code = opaqueToken();
    this.codes.set(code, { userId, teamId, expiresAt: this.clock.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** Tokens for a user without the redirect dance: for tests and the sandbox. */
  issueTokens(userId: string, teamId: string): TokenResponse {
    this.assertMember(userId, teamId);
    return this.mint({ userId, teamId, scopes: [...SCOPES], createdAt: this.clock.now() });
  }

  /** `grant_type=authorization_code` */
  exchangeCode(params: URLSearchParams): TokenResponse {
    this.authenticateClient(params);
    const code = required(params, "code");
    const redirectUri = required(params, "redirect_uri");
    const record = this.codes.get(code);
    if (!record) throw oauthError(400, "invalid_grant", "Authorization code is invalid");
    if (record.used) throw oauthError(400, "invalid_grant", "Authorization code has already been used");
    if (record.expiresAt <= this.clock.now()) throw oauthError(400, "invalid_grant", "Authorization code has expired");
    // RFC 6749 §4.1.3: the redirect URI must be the one the code was issued for.
    if (redirectUri !== this.options.redirectUri) {
      throw oauthError(400, "invalid_grant", "redirect_uri does not match the app's redirect URI");
    }
    record.used = true;
    return this.mint({
      userId: record.userId,
      teamId: record.teamId,
      scopes: [...SCOPES],
      createdAt: this.clock.now(),
    });
  }

  /** `grant_type=refresh_token`: a new pair; the old access and refresh tokens stop working. */
  refresh(params: URLSearchParams): TokenResponse {
    this.authenticateClient(params);
    const token = required(params, "refresh_token");
    const record = this.refreshTokens.get(token);
    if (!record || record.expiresAt <= this.clock.now()) {
      throw oauthError(400, "invalid_grant", "Refresh token is invalid or has expired");
    }
    this.refreshTokens.delete(token);
    this.accessTokens.delete(record.accessToken);
    return this.mint({
      userId: record.userId,
      teamId: record.teamId,
      scopes: record.scopes,
      createdAt: this.clock.now(),
    });
  }

  /** The grant behind a bearer token, or Miro's 401. */
  authenticate(token: string | undefined): TokenGrant & { token: string; expiresAt: number | null } {
    if (!token) throw miroErrors.tokenNotProvided();
    const record = this.accessTokens.get(token);
    if (!record) throw miroErrors.tokenNotFound();
    if (record.expiresAt !== null && record.expiresAt <= this.clock.now()) throw miroErrors.tokenExpired();
    return record;
  }

  /** Revoking an access token revokes its refresh token too (spec: "Revoke token (v2)"). */
  revoke(accessToken: string): boolean {
    const record = this.accessTokens.get(accessToken);
    if (!record) return false;
    this.accessTokens.delete(accessToken);
    if (record.refreshToken) this.refreshTokens.delete(record.refreshToken);
    return true;
  }

  checkClient(clientId: string | null | undefined, clientSecret: string | null | undefined): boolean {
    return clientId === this.options.clientId && clientSecret === this.options.clientSecret;
  }

  /** Forgets every code and token (the control API's reset). */
  reset() {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  private authenticateClient(params: URLSearchParams) {
    const clientId = required(params, "client_id");
    const clientSecret = required(params, "client_secret");
    if (!this.checkClient(clientId, clientSecret)) {
      throw oauthError(401, "invalid_client", "Client authentication failed");
    }
  }

  private assertMember(userId: string, teamId: string) {
    if (!this.state.users.has(userId)) throw new Error(`Miro emulator: no user ${userId}`);
    if (!this.state.memberships.get(userId)?.has(teamId)) {
      throw new Error(`Miro emulator: user ${userId} is not a member of team ${teamId}`);
    }
  }

  private mint(grant: TokenGrant): TokenResponse {
    const now = this.clock.now();
    const expiring = this.options.expiringTokens;
    const access: AccessTokenRecord = {
      ...grant,
      token: opaqueToken(),
      expiresAt: expiring ? now + ACCESS_TOKEN_TTL_S * 1000 : null,
      refreshToken: expiring ? opaqueToken() : null,
    };
    this.accessTokens.set(access.token, access);
    if (access.refreshToken) {
      this.refreshTokens.set(access.refreshToken, {
        ...grant,
        token: access.refreshToken,
        expiresAt: now + REFRESH_TOKEN_TTL_MS,
        accessToken: access.token,
      });
    }
    return {
      access_token: access.token,
      ...(access.refreshToken ? { refresh_token: access.refreshToken, expires_in: ACCESS_TOKEN_TTL_S } : {}),
      token_type: "bearer",
      scope: grant.scopes.join(" "),
      user_id: grant.userId,
      team_id: grant.teamId,
    };
  }
}

/** The bearer token of a request: the Authorization header, or `?access_token=` (Miro accepts both). */
export function bearerToken(req: EmulatorRequest): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return req.url.searchParams.get("access_token") ?? undefined;
}

/**
 * Miro documents no body for token-endpoint failures; we answer in its common error envelope with
 * the RFC 6749 §5.2 error names as codes, so a client can tell a dead grant from a bad client.
 */
function oauthError(status: number, code: string, message: string) {
  return new MiroHttpError(status, code, message);
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw oauthError(400, "invalid_request", `Missing required parameter: ${name}`);
  return value;
}

/** Shaped like Miro's tokens: a base64 JSON prefix naming the region, then random bytes. */
function opaqueToken(): string {
  const origin = Buffer.from('{"miro.origin":"eu01"}').toString("base64url");
  return `${origin}_${randomBytes(24).toString("base64url")}`;
}

/** `POST /v1/oauth/token`, `GET /v1/oauth-token`, `POST /v2/oauth/revoke`, `POST /v1/oauth/revoke`. */
export function mountOAuthRoutes(router: Router, oauth: MiroOAuth, state: MiroState) {
  router.post("/v1/oauth/token", (req) =>
    guard(() => {
      // Form body first, query string as Miro's own examples send it.
      const params = new URLSearchParams(req.url.searchParams);
      const contentType = String(req.headers["content-type"] ?? "");
      if (req.body.length > 0 && contentType.includes("application/x-www-form-urlencoded")) {
        for (const [key, value] of req.form()) params.set(key, value);
      }
      const grantType = params.get("grant_type");
      if (grantType === "authorization_code") return { status: 200, body: oauth.exchangeCode(params) };
      if (grantType === "refresh_token") return { status: 200, body: oauth.refresh(params) };
      if (!grantType) throw oauthError(400, "invalid_request", "Missing required parameter: grant_type");
      throw oauthError(400, "unsupported_grant_type", `Unsupported grant_type: ${grantType}`);
    }),
  );

  // Token context. The spec answers 400 "Invalid token provided" for a bad token.
  router.get("/v1/oauth-token", (req) =>
    guard(() => {
      const token = bearerToken(req);
      if (!token) throw miroErrors.tokenNotProvided();
      let grant: TokenGrant;
      try {
        grant = oauth.authenticate(token);
      } catch {
        throw new MiroHttpError(400, "invalidToken", "Invalid token provided");
      }
      const user = state.users.get(grant.userId);
      const team = state.teams.get(grant.teamId);
      const userInfo = { type: "user", name: user?.name ?? "", id: grant.userId };
      const teamInfo = { type: "team", name: team?.name ?? "", id: grant.teamId };
      return {
        status: 200,
        body: {
          type: "user_token",
          // Required by the spec's schema. The emulator has no organizations: each team stands
          // for its own, as a team on a non-Enterprise plan does.
          organization: { type: "organization", name: teamInfo.name, id: grant.teamId },
          team: teamInfo,
          createdBy: userInfo,
          user: userInfo,
          scopes: grant.scopes,
        },
      };
    }),
  );

  // Spec: RevokeTokenRequest (JSON: accessToken, clientId, clientSecret); 204, or 404 on failure.
  router.post("/v2/oauth/revoke", (req) =>
    guard(() => {
      const body = req.json<Record<string, unknown>>();
      const { accessToken, clientId, clientSecret } = body ?? {};
      if (typeof accessToken !== "string" || typeof clientId !== "string" || typeof clientSecret !== "string") {
        throw miroErrors.invalidParameters("accessToken, clientId and clientSecret are required strings");
      }
      if (!oauth.checkClient(clientId, clientSecret) || !oauth.revoke(accessToken)) {
        throw new MiroHttpError(404, "notFound", "Failed to revoke token");
      }
      return { status: 204 };
    }),
  );

  // Deprecated (the token travels in the URL), but the official client's `Miro.revokeToken` uses it.
  router.post("/v1/oauth/revoke", (req) =>
    guard(() => {
      const token = req.url.searchParams.get("access_token");
      if (!token || !oauth.revoke(token)) throw new MiroHttpError(400, "invalidToken", "Failed to revoke token");
      return { status: 204 };
    }),
  );
}

function guard(run: () => { status: number; body?: unknown }) {
  try {
    return run();
  } catch (error) {
    if (error instanceof MiroHttpError) return error.toReply();
    throw error;
  }
}

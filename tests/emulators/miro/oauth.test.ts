import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "./clock";
import { ACCESS_TOKEN_TTL_S, CODE_TTL_MS, REFRESH_TOKEN_TTL_MS, type TokenResponse } from "./oauth";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { call, exchange, expectTrafficToMatchSpec, install, startTestEmulator, TEST_APP } from "./testing";

/** Miro's authorization-code flow with expiring, rotating tokens (oauth.ts). */

const board = `/v2/boards/${SEED.sprintBoard.id}/items`;

function refresh(emulator: MiroEmulator, refreshToken: string) {
  return call<TokenResponse & { code?: string }>(emulator, "POST", "/v1/oauth/token", {
    form: {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: TEST_APP.clientId,
      client_secret: TEST_APP.clientSecret,
    },
  });
}

describe("Miro OAuth", () => {
  let emulator: MiroEmulator;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock();
    emulator = await startTestEmulator({ clock });
  });
  afterEach(async () => {
    expectTrafficToMatchSpec(emulator);
    await emulator.close();
  });

  it("exchanges a code for an expiring pair shaped like Miro's", async () => {
    const tokens = await install(emulator);
    expect(tokens).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 3599,
      token_type: "bearer",
      scope: "boards:read boards:write",
      user_id: SEED.alice.id,
      team_id: SEED.team.id,
    });
    const { status } = await call(emulator, "GET", board, { token: tokens.access_token });
    expect(status).toBe(200);
  });

  it("accepts the parameters in the query string too, as Miro's guides send them", async () => {
    const code = emulator.context.oauth.issueCode(SEED.bob.id, SEED.team.id);
    const response = await fetch(
      `${emulator.url}/v1/oauth/token?${new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: TEST_APP.clientId,
        client_secret: TEST_APP.clientSecret,
        redirect_uri: TEST_APP.redirectUri,
      })}`,
      { method: "POST" },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as TokenResponse).user_id).toBe(SEED.bob.id);
  });

  it("refuses a code used twice", async () => {
    const code = emulator.context.oauth.issueCode(SEED.alice.id, SEED.team.id);
    expect((await exchange(emulator, code)).status).toBe(200);
    const again = await exchange(emulator, code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: 400, code: "invalid_grant", type: "error" });
  });

  it("refuses a code after its 10 minutes", async () => {
    const code = emulator.context.oauth.issueCode(SEED.alice.id, SEED.team.id);
    clock.advance(CODE_TTL_MS);
    const late = await exchange(emulator, code);
    expect(late.status).toBe(400);
    expect((late.body as { message?: string }).message).toMatch(/expired/);
  });

  it("accepts a code just inside its 10 minutes", async () => {
    const code = emulator.context.oauth.issueCode(SEED.alice.id, SEED.team.id);
    clock.advance(CODE_TTL_MS - 1000);
    expect((await exchange(emulator, code)).status).toBe(200);
  });

  it("refuses a wrong client secret, a wrong redirect URI, a missing parameter and an unknown grant", async () => {
    const code = emulator.context.oauth.issueCode(SEED.alice.id, SEED.team.id);
    const badSecret = await exchange(emulator, code, { client_secret: "nope" });
    expect([badSecret.status, badSecret.body.code]).toEqual([401, "invalid_client"]);
    const badRedirect = await exchange(emulator, code, { redirect_uri: "https://evil.example/cb" });
    expect([badRedirect.status, badRedirect.body.code]).toEqual([400, "invalid_grant"]);
    const missing = await call(emulator, "POST", "/v1/oauth/token", {
      form: { grant_type: "authorization_code", client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret },
    });
    expect([missing.status, missing.body.code]).toEqual([400, "invalid_request"]);
    const unknown = await call(emulator, "POST", "/v1/oauth/token", {
      form: { grant_type: "password", client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret },
      invalidRequest: true,
    });
    expect([unknown.status, unknown.body.code]).toEqual([400, "unsupported_grant_type"]);
    // A failed attempt doesn't burn the code.
    expect((await exchange(emulator, code)).status).toBe(200);
  });

  it("rotates on refresh: a new pair, and the old access AND refresh tokens die", async () => {
    const first = await install(emulator);
    const renewed = await refresh(emulator, first.refresh_token ?? "");
    expect(renewed.status).toBe(200);
    expect(renewed.body.access_token).not.toBe(first.access_token);
    expect(renewed.body.refresh_token).not.toBe(first.refresh_token);
    expect(renewed.body.expires_in).toBe(ACCESS_TOKEN_TTL_S);

    const oldAccess = await call(emulator, "GET", board, { token: first.access_token });
    expect([oldAccess.status, oldAccess.body.code]).toEqual([401, "tokenNotFound"]);
    const oldRefresh = await refresh(emulator, first.refresh_token ?? "");
    expect([oldRefresh.status, oldRefresh.body.code]).toEqual([400, "invalid_grant"]);

    expect((await call(emulator, "GET", board, { token: renewed.body.access_token })).status).toBe(200);
  });

  it("lets only one of two concurrent refreshes with the same token win", async () => {
    const first = await install(emulator);
    const results = await Promise.all([
      refresh(emulator, first.refresh_token ?? ""),
      refresh(emulator, first.refresh_token ?? ""),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("expires the access token after 3599 s and the refresh token after 60 days", async () => {
    const tokens = await install(emulator);
    clock.advance(ACCESS_TOKEN_TTL_S * 1000);
    const expired = await call(emulator, "GET", board, { token: tokens.access_token });
    expect([expired.status, expired.body.code]).toEqual([401, "tokenExpired"]);
    expect((await refresh(emulator, tokens.refresh_token ?? "")).status).toBe(200);

    const later = await install(emulator);
    clock.advance(REFRESH_TOKEN_TTL_MS);
    expect((await refresh(emulator, later.refresh_token ?? "")).status).toBe(400);
  });

  it("answers 401 tokenNotProvided without a token, and reads ?access_token= as Miro does", async () => {
    const none = await call(emulator, "GET", board);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ status: 401, code: "tokenNotProvided", message: expect.any(String), type: "error" });
    const tokens = await install(emulator);
    const viaQuery = await call(emulator, "GET", board, { query: { access_token: tokens.access_token } });
    expect(viaQuery.status).toBe(200);
  });

  it("describes a token's context (GET /v1/oauth-token)", async () => {
    const tokens = await install(emulator, SEED.bob.id);
    const { status, body } = await call<Record<string, unknown>>(emulator, "GET", "/v1/oauth-token", {
      token: tokens.access_token,
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      type: "user_token",
      organization: { type: "organization", name: "Acme", id: SEED.team.id },
      team: { type: "team", name: "Acme", id: SEED.team.id },
      createdBy: { type: "user", name: "Bob Baker", id: SEED.bob.id },
      user: { type: "user", name: "Bob Baker", id: SEED.bob.id },
      scopes: ["boards:read", "boards:write"],
    });
    const bad = await call(emulator, "GET", "/v1/oauth-token", { token: "not-a-token" });
    expect(bad.status).toBe(400); // the spec: 400 "Invalid token provided"
  });

  it("revokes with POST /v2/oauth/revoke: the access token and its refresh token die", async () => {
    const tokens = await install(emulator);
    const wrongSecret = await call(emulator, "POST", "/v2/oauth/revoke", {
      json: { accessToken: tokens.access_token, clientId: TEST_APP.clientId, clientSecret: "nope" },
    });
    expect(wrongSecret.status).toBe(404);
    const revoked = await call(emulator, "POST", "/v2/oauth/revoke", {
      json: { accessToken: tokens.access_token, clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret },
    });
    expect(revoked.status).toBe(204);
    expect((await call(emulator, "GET", board, { token: tokens.access_token })).status).toBe(401);
    expect((await refresh(emulator, tokens.refresh_token ?? "")).status).toBe(400);
    const twice = await call(emulator, "POST", "/v2/oauth/revoke", {
      json: { accessToken: tokens.access_token, clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret },
    });
    expect(twice.status).toBe(404);
    const malformed = await call(emulator, "POST", "/v2/oauth/revoke", { json: { token: "x" }, invalidRequest: true });
    expect(malformed.status).toBe(400);
  });

  it("revokes with the deprecated POST /v1/oauth/revoke?access_token=", async () => {
    const tokens = await install(emulator);
    const revoked = await call(emulator, "POST", "/v1/oauth/revoke", { query: { access_token: tokens.access_token } });
    expect(revoked.status).toBe(204);
    const again = await call(emulator, "POST", "/v1/oauth/revoke", { query: { access_token: tokens.access_token } });
    expect(again.status).toBe(400);
  });
});

describe("Miro OAuth without expiring tokens", () => {
  it("issues a lasting access token and no refresh token", async () => {
    const clock = new FakeClock();
    const emulator = await startTestEmulator({ expiringTokens: false, clock });
    try {
      const tokens = await install(emulator);
      expect(tokens.refresh_token).toBeUndefined();
      expect(tokens.expires_in).toBeUndefined();
      clock.advance(365 * 24 * 3600 * 1000);
      expect((await call(emulator, "GET", board, { token: tokens.access_token })).status).toBe(200);
      expectTrafficToMatchSpec(emulator);
    } finally {
      await emulator.close();
    }
  });
});

import { createHash, randomBytes } from "node:crypto";
import { OAuthApp, Octokit } from "octokit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GithubEmulator } from "./server";
import { startTestEmulator, TEST_APP } from "./test-support";

let github: GithubEmulator;
const REDIRECT = "http://localhost:3000/api/auth/callback/github";

beforeAll(async () => {
  github = await startTestEmulator({ callbackUrls: ["http://localhost:3000/api/auth/callback/"] });
});
afterAll(() => github.close());
beforeEach(() => github.control.reset());

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Walks the consent page like a browser: load it, press "Continue as <login>", read the redirect. */
async function approve(login: string, params: Record<string, string>) {
  const query = new URLSearchParams({ client_id: TEST_APP.clientId, redirect_uri: REDIRECT, ...params });
  const consent = await fetch(`${github.url}/login/oauth/authorize?${query}`);
  expect(consent.status).toBe(200);
  const html = await consent.text();
  expect(html).toContain(`Continue as ${login}`);
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(name!, value!.replaceAll("&amp;", "&").replaceAll("&quot;", '"'));
  }
  form.set("login", login);
  const approved = await fetch(`${github.url}/login/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  expect(approved.status).toBe(302);
  return new URL(approved.headers.get("location")!);
}

async function post(fields: Record<string, string>, accept: string) {
  const response = await fetch(`${github.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret, ...fields }),
  });
  // Failures too answer 200, with the error in the body.
  expect(response.status).toBe(200);
  return response;
}

async function exchange(fields: Record<string, string>) {
  return (await (await post(fields, "application/json")).json()) as Record<string, string | number>;
}

describe("GitHub emulator OAuth web flow (GitHub App, expiring user tokens)", () => {
  it("signs in with PKCE: the consent page redirects with code and state, the code buys expiring tokens", async () => {
    const { verifier, challenge } = pkcePair();
    const back = await approve("octocat", { state: "st4te", code_challenge: challenge, code_challenge_method: "S256" });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe("st4te");
    const code = back.searchParams.get("code")!;
    expect(code).toMatch(/^[0-9a-f]{20}$/);

    const tokens = await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^ghu_[A-Za-z0-9]{36}$/),
      expires_in: 28800,
      refresh_token: expect.stringMatching(/^ghr_[A-Za-z0-9]{36}$/),
      refresh_token_expires_in: 15897600,
      token_type: "bearer",
      scope: "",
    });
    const octokit = new Octokit({ auth: tokens.access_token, baseUrl: github.url });
    const { data } = await octokit.rest.users.getAuthenticated();
    expect(data.login).toBe("octocat");
  });

  it("refuses a wrong code_verifier, and a code used twice", async () => {
    const { verifier, challenge } = pkcePair();
    const code = (
      await approve("hubot", { code_challenge: challenge, code_challenge_method: "S256" })
    ).searchParams.get("code")!;
    expect(await exchange({ code, code_verifier: pkcePair().verifier })).toMatchObject({
      error: "bad_verification_code",
    });
    expect(await exchange({ code })).toMatchObject({ error: "bad_verification_code" });

    expect(await exchange({ code, code_verifier: verifier })).toMatchObject({
      access_token: expect.stringMatching(/^ghu_/),
    });
    expect(await exchange({ code, code_verifier: verifier })).toEqual({
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
      error_uri: expect.stringContaining("docs.github.com"),
    });
  });

  it("answers form-encoded unless the client asks for JSON, as GitHub does", async () => {
    const code = github.control.authorize({ login: "octocat" });
    const response = await post({ code }, "*/*");
    expect(response.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    const form = new URLSearchParams(await response.text());
    expect(form.get("access_token")).toMatch(/^ghu_/);
    expect(form.get("expires_in")).toBe("28800");
    expect(form.get("token_type")).toBe("bearer");
  });

  it("accepts client credentials in HTTP Basic and a JSON body (next-auth and others send them so)", async () => {
    const code = github.control.authorize({ login: "octocat", redirectUri: REDIRECT });
    const response = await fetch(`${github.url}/login/oauth/access_token`, {
      method: "POST",
      headers: {
        accept: "application/json",
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${TEST_APP.clientId}:${TEST_APP.clientSecret}`).toString("base64")}`,
      },
      body: JSON.stringify({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }),
    });
    expect(await response.json()).toMatchObject({ access_token: expect.stringMatching(/^ghu_/) });
  });

  it("reports GitHub's error codes in a 200 body", async () => {
    const code = github.control.authorize({ login: "octocat", redirectUri: REDIRECT });
    expect(await exchange({ code, client_secret: "wrong" })).toMatchObject({ error: "incorrect_client_credentials" });
    expect(await exchange({ code, redirect_uri: "http://localhost:3000/elsewhere" })).toMatchObject({
      error: "redirect_uri_mismatch",
    });
    expect(await exchange({ grant_type: "password", code })).toMatchObject({ error: "unsupported_grant_type" });
    expect(await exchange({ grant_type: "refresh_token", refresh_token: "ghr_nope" })).toMatchObject({
      error: "bad_refresh_token",
    });
  });

  it("rotates on refresh: the old refresh token and the old access token die", async () => {
    const first = github.control.issueToken("octocat");
    const refreshed = await exchange({ grant_type: "refresh_token", refresh_token: first.refreshToken });
    expect(refreshed).toMatchObject({
      access_token: expect.stringMatching(/^ghu_/),
      refresh_token: expect.stringMatching(/^ghr_/),
      expires_in: 28800,
    });
    expect(refreshed.refresh_token).not.toBe(first.refreshToken);

    expect(await exchange({ grant_type: "refresh_token", refresh_token: first.refreshToken })).toMatchObject({
      error: "bad_refresh_token",
    });
    const old = await fetch(`${github.url}/user`, { headers: { authorization: `token ${first.token}` } });
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ message: "Bad credentials" });
    const fresh = await fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(fresh.status).toBe(200);
  });

  it("expires access tokens after eight hours", async () => {
    const { token } = github.control.issueToken("octocat");
    github.control.advanceClock(28_800_000);
    const response = await fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });

  it("works with octokit's OAuthApp: create, refresh and delete the authorization", async () => {
    // octokit's OAuthApp types its methods `never` when given a custom Octokit class (a typing
    // quirk of its `defaults`); the calls themselves work, so name the part the test uses.
    const app = new OAuthApp({
      clientType: "github-app",
      clientId: TEST_APP.clientId,
      clientSecret: TEST_APP.clientSecret,
      Octokit: Octokit.defaults({ baseUrl: github.url, throttle: { enabled: false } }),
    }) as unknown as {
      createToken(options: { code: string }): Promise<{ authentication: { token: string; refreshToken?: string } }>;
      refreshToken(options: { refreshToken: string }): Promise<{ authentication: { token: string } }>;
      deleteAuthorization(options: { token: string }): Promise<{ status: number }>;
    };
    const code = github.control.authorize({ login: "monalisa" });
    const { authentication } = await app.createToken({ code });
    expect(authentication).toMatchObject({
      token: expect.stringMatching(/^ghu_/),
      refreshToken: expect.stringMatching(/^ghr_/),
    });

    const refreshed = await app.refreshToken({ refreshToken: authentication.refreshToken! });
    const token = refreshed.authentication.token;
    expect((await fetch(`${github.url}/user`, { headers: { authorization: `token ${token}` } })).status).toBe(200);

    const deleted = await app.deleteAuthorization({ token });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${github.url}/user`, { headers: { authorization: `token ${token}` } })).status).toBe(401);
  });

  it("sends the user back with access_denied when they cancel, and with redirect_uri_mismatch for a foreign redirect", async () => {
    const cancel = await fetch(`${github.url}/login/oauth/authorize`, {
      method: "POST",
      body: new URLSearchParams({ client_id: TEST_APP.clientId, redirect_uri: REDIRECT, state: "s1", cancel: "1" }),
      redirect: "manual",
    });
    const cancelled = new URL(cancel.headers.get("location")!);
    expect(cancelled.searchParams.get("error")).toBe("access_denied");
    expect(cancelled.searchParams.get("state")).toBe("s1");

    const foreign = await fetch(
      `${github.url}/login/oauth/authorize?${new URLSearchParams({ client_id: TEST_APP.clientId, redirect_uri: "https://evil.example/cb", state: "s2" })}`,
      { redirect: "manual" },
    );
    expect(foreign.status).toBe(302);
    const mismatch = new URL(foreign.headers.get("location")!);
    expect(mismatch.origin).toBe("http://localhost:3000");
    expect(mismatch.searchParams.get("error")).toBe("redirect_uri_mismatch");

    const unknownApp = await fetch(`${github.url}/login/oauth/authorize?client_id=nope`);
    expect(unknownApp.status).toBe(404);
  });
});

import { Octokit } from "octokit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED, SEED_ISSUES } from "./seed";
import type { GithubEmulator } from "./server";
import { startTestEmulator } from "./test-support";

let github: GithubEmulator;

beforeAll(async () => {
  github = await startTestEmulator();
});
afterAll(() => github.close());
beforeEach(() => github.control.reset());

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${github.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
}

describe("GitHub emulator control API", () => {
  it("seeds the organisation, users, repositories and about thirty issues with fixed ids", async () => {
    const { body } = await control("GET", "");
    expect(body.users.map((u: { login: string }) => u.login).sort()).toEqual(["acme", "hubot", "monalisa", "octocat"]);
    expect(body.repos).toContainEqual({
      full_name: "acme/roadmap",
      id: SEED.repos.roadmap.id,
      installation_id: SEED.installations.acme,
    });
    expect(body.repos).toContainEqual({
      full_name: "octocat/dotfiles",
      id: SEED.repos.dotfiles.id,
      installation_id: null,
    });
    expect(SEED_ISSUES.length).toBeGreaterThanOrEqual(30);
    expect(github.state.issues.size).toBe(SEED_ISSUES.length);
  });

  it("mints tokens, creates users, repositories and issues over HTTP, and resets to the seed", async () => {
    expect((await control("POST", "/users", { login: "newbie", name: "New Bie" })).status).toBe(201);
    const repo = await control("POST", "/repos", {
      owner: "acme",
      name: "sandbox",
      private: true,
      collaborators: { newbie: "write", octocat: "admin" },
      labels: [{ name: "triage", color: "ff00ff" }],
    });
    expect(repo).toMatchObject({ status: 201, body: { full_name: "acme/sandbox", private: true } });
    const issue = await control("POST", "/issues", {
      repo: "acme/sandbox",
      title: "First!",
      labels: ["triage"],
      as: "newbie",
    });
    expect(issue).toMatchObject({ status: 201, body: { number: 1, labels: [{ name: "triage", color: "ff00ff" }] } });

    const { body: tokens } = await control("POST", "/tokens", { login: "newbie" });
    expect(tokens).toMatchObject({
      token: expect.stringMatching(/^ghu_/),
      refresh_token: expect.stringMatching(/^ghr_/),
      expires_in: 28800,
    });
    const octokit = new Octokit({ auth: tokens.token, baseUrl: github.url });
    const { data: listed } = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "sandbox" });
    expect(listed.map((i) => i.title)).toEqual(["First!"]);
    const { data: installations } = await octokit.rest.apps.listInstallationsForAuthenticatedUser();
    expect(installations.installations.map((i) => i.id)).toEqual([SEED.installations.acme]);

    const patched = await control("PATCH", "/issues/acme/sandbox/1", { state: "closed", stateReason: "not_planned" });
    expect(patched.body).toMatchObject({ state: "closed", state_reason: "not_planned" });

    expect((await control("POST", "/users", { login: "newbie" })).status).toBe(422);
    expect((await control("POST", "/reset")).status).toBe(200);
    expect(github.state.account("newbie")).toBeUndefined();
    expect(github.state.repoByName("acme", "sandbox")).toBeUndefined();
    expect((await fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${tokens.token}` } })).status).toBe(
      401,
    );

    expect((await control("POST", "/reset", { seed: false })).status).toBe(200);
    expect(github.state.accounts.size).toBe(0);
  });

  it("keeps a request log of the app's calls (secrets redacted)", async () => {
    const { token } = github.control.issueToken("octocat");
    const octokit = new Octokit({ auth: token, baseUrl: github.url, throttle: { enabled: false } });
    await octokit.rest.issues.update({ owner: "acme", repo: "roadmap", issue_number: 1, title: "Logged" });
    await fetch(`${github.url}/login/oauth/access_token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: "x", client_secret: "s3cret", code: "c" }),
    });
    const { body: log } = await control("GET", "/requests");
    expect(log).toMatchObject([
      {
        method: "PATCH",
        path: "/repos/acme/roadmap/issues/1",
        status: 200,
        login: "octocat",
        body: { title: "Logged" },
      },
      {
        method: "POST",
        path: "/login/oauth/access_token",
        status: 200,
        body: { client_id: "x", client_secret: "[redacted]" },
      },
    ]);
    expect(JSON.stringify(log)).not.toContain("s3cret");
    expect(github.control.requests({ method: "PATCH" })).toHaveLength(1);
    await control("DELETE", "/requests");
    expect(github.control.requests()).toEqual([]);
  });

  it("moves the clock so tokens expire on demand", async () => {
    const { token } = github.control.issueToken("hubot", { expiresIn: 60 });
    expect((await fetch(`${github.url}/user`, { headers: { authorization: `token ${token}` } })).status).toBe(200);
    await control("POST", "/clock", { advance_ms: 61_000 });
    expect((await fetch(`${github.url}/user`, { headers: { authorization: `token ${token}` } })).status).toBe(401);
  });

  it("writes a public base URL into responses when given one", async () => {
    const { startGithubEmulator } = await import("./server");
    const other = await startGithubEmulator({
      clientId: "c",
      clientSecret: "s",
      webhookSecret: "w",
      publicUrl: "http://localhost:3020/",
    });
    try {
      const { token } = other.control.issueToken("octocat");
      const response = await fetch(`${other.url}/repos/acme/web/issues/1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await response.json()).toMatchObject({
        url: "http://localhost:3020/repos/acme/web/issues/1",
        html_url: "http://localhost:3020/acme/web/issues/1",
      });
    } finally {
      await other.close();
    }
  });
});

describe("GitHub emulator REST faults", () => {
  beforeEach(() => github.control.reset());

  it("fails the next matching requests with a server error, then recovers", async () => {
    const { token } = github.control.issueToken("octocat");
    const octokit = new Octokit({
      auth: token,
      baseUrl: github.url,
      request: { retries: 0 },
      throttle: { enabled: false },
    });
    github.control.failNextRequests({ status: 502, path: "/repos/acme/web/issues", count: 2 });
    await expect(octokit.rest.issues.get({ owner: "acme", repo: "web", issue_number: 1 })).rejects.toMatchObject({
      status: 502,
    });
    await octokit.rest.users.getAuthenticated(); // other paths are untouched
    await expect(octokit.rest.issues.get({ owner: "acme", repo: "web", issue_number: 1 })).rejects.toMatchObject({
      status: 502,
    });
    await expect(octokit.rest.issues.get({ owner: "acme", repo: "web", issue_number: 1 })).resolves.toMatchObject({
      status: 200,
    });
  });

  it("answers GitHub's rate limits with the headers clients wait on", async () => {
    const { token } = github.control.issueToken("octocat");
    await control("PUT", "/rest/faults", { kind: "secondary-rate-limit", retry_after: 7, method: "PATCH" });
    const secondary = await fetch(`${github.url}/repos/acme/web/issues/1`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "x" }),
    });
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get("retry-after")).toBe("7");
    expect(await secondary.json()).toMatchObject({ message: expect.stringContaining("secondary rate limit") });

    github.control.failNextRequests({ kind: "rate-limit", retryAfter: 30 });
    const primary = await fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${token}` } });
    expect(primary.status).toBe(403);
    expect(primary.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(primary.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  });

  it("lets octokit's throttling plugin wait and retry a secondary rate limit", async () => {
    const { token } = github.control.issueToken("octocat");
    const waited: number[] = [];
    const octokit = new Octokit({
      auth: token,
      baseUrl: github.url,
      throttle: {
        onRateLimit: () => false,
        onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          waited.push(retryAfter);
          return retryCount < 1;
        },
      },
    });
    // One second: the plugin reads retry-after 0 as "absent" and would wait its 60 s fallback.
    github.control.failNextRequests({ kind: "secondary-rate-limit", retryAfter: 1, path: "/user" });
    const { data } = await octokit.rest.users.getAuthenticated();
    expect(data.login).toBe("octocat");
    expect(waited).toEqual([1]);
  });
});

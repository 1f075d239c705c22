import { Octokit } from "octokit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateGithubRequest, validateGithubResponse } from "./openapi";
import { SEED, seededIssue } from "./seed";
import type { GithubEmulator } from "./server";
import { specCheckingFetch, startTestEmulator, TEST_APP } from "./test-support";

/**
 * Every REST endpoint the emulator serves, in its success and its error answers, checked against
 * GitHub's OpenAPI description: a field renamed, a type changed or a status GitHub never sends
 * fails here.
 */

let github: GithubEmulator;

beforeAll(async () => {
  github = await startTestEmulator();
});
afterAll(() => github.close());

describe("GitHub emulator against GitHub's OpenAPI description", () => {
  it("serves every endpoint in the documented shapes, errors included", async () => {
    const checker = specCheckingFetch();
    const make = (auth: string) =>
      new Octokit({
        auth,
        baseUrl: github.url,
        request: { fetch: checker.fetch, retries: 0 },
        throttle: { enabled: false },
      });
    const octocat = make(github.control.issueToken("octocat").token);
    const hubot = make(github.control.issueToken("hubot").token);
    const nobody = make("ghu_unknown");
    const ref = seededIssue("Login button misaligned on Safari");
    const failing = async (call: Promise<unknown>) => {
      await call.then(
        () => expect.unreachable("expected an error"),
        () => undefined,
      );
    };

    await octocat.rest.users.getAuthenticated();
    await failing(nobody.rest.users.getAuthenticated());
    await octocat.rest.apps.listInstallationsForAuthenticatedUser();
    await octocat.rest.apps.listInstallationReposForAuthenticatedUser({
      installation_id: SEED.installations.acme,
      per_page: 1,
    });
    await failing(
      hubot.rest.apps.listInstallationReposForAuthenticatedUser({ installation_id: SEED.installations.octocat }),
    );
    await octocat.rest.repos.get({ owner: "acme", repo: "web" });
    await octocat.rest.repos.get({ owner: "octocat", repo: "hello-world" });
    await failing(octocat.rest.repos.get({ owner: "acme", repo: "missing" }));

    await octocat.rest.issues.get({ owner: ref.owner, repo: ref.repo, issue_number: ref.number });
    await octocat.rest.issues.get({
      owner: "acme",
      repo: "web",
      issue_number: seededIssue("Redesign: new navigation").number,
    });
    await failing(octocat.rest.issues.get({ owner: "acme", repo: "web", issue_number: 999 }));
    await octocat.rest.issues.listForRepo({ owner: "acme", repo: "web", state: "all", per_page: 100 });
    await octocat.rest.issues.listForRepo({
      owner: "acme",
      repo: "web",
      labels: "bug",
      assignee: "monalisa",
      sort: "updated",
      direction: "asc",
    });
    await octocat.rest.issues.listForRepo({
      owner: "acme",
      repo: "roadmap",
      milestone: "none",
      creator: "hubot",
      since: "2026-01-01T00:00:00Z",
    });
    await failing(hubot.rest.issues.listForRepo({ owner: "octocat", repo: "dotfiles" }));
    const created = await octocat.rest.issues.create({
      owner: "acme",
      repo: "web",
      title: "Spec check",
      labels: ["bug"],
      assignees: ["monalisa"],
      milestone: 1,
    });
    await hubot.rest.issues.create({
      owner: "acme",
      repo: "web",
      title: "Spec check by hubot",
      body: "hi",
      labels: ["bug"],
    });
    await failing(
      octocat.rest.issues.create({ owner: "acme", repo: "web", title: "Bad assignee", assignees: ["nobody-here"] }),
    );
    await octocat.rest.issues.update({
      owner: "acme",
      repo: "web",
      issue_number: created.data.number,
      state: "closed",
      state_reason: "not_planned",
    });
    await octocat.rest.issues.update({
      owner: "acme",
      repo: "web",
      issue_number: created.data.number,
      labels: [],
      assignees: [],
      milestone: null,
    });
    await failing(
      hubot.rest.issues.update({ owner: "acme", repo: "web", issue_number: ref.number, title: "not yours" }),
    );
    await failing(octocat.rest.issues.update({ owner: "acme", repo: "web", issue_number: ref.number, milestone: 42 }));

    await octocat.rest.search.issuesAndPullRequests({ q: "repo:acme/web is:issue is:open bug", per_page: 2 });
    await octocat.rest.search.issuesAndPullRequests({ q: "org:acme is:pr", sort: "updated", order: "asc" });
    await failing(octocat.rest.search.issuesAndPullRequests({ q: "repo:acme/web" }));
    await failing(octocat.rest.search.issuesAndPullRequests({ q: "repo:acme/secret is:issue" }));

    await octocat.rest.issues.listLabelsForRepo({ owner: "acme", repo: "web" });
    await octocat.rest.issues.listAssignees({ owner: "acme", repo: "web" });
    await octocat.rest.issues.listMilestones({
      owner: "acme",
      repo: "web",
      state: "all",
      sort: "completeness",
      direction: "desc",
    });
    await failing(hubot.rest.issues.listLabelsForRepo({ owner: "acme", repo: "nope" }));

    github.control.deleteIssue({ repo: "acme/web", number: created.data.number });
    await failing(octocat.rest.issues.get({ owner: "acme", repo: "web", issue_number: created.data.number }));

    // The app authenticates with Basic client_id:client_secret here, not a token.
    const app = new Octokit({
      baseUrl: github.url,
      request: { fetch: checker.fetch, retries: 0 },
      throttle: { enabled: false },
    });
    const basic = `Basic ${Buffer.from(`${TEST_APP.clientId}:${TEST_APP.clientSecret}`).toString("base64")}`;
    await app.rest.apps.deleteAuthorization({
      client_id: TEST_APP.clientId,
      access_token: github.control.issueToken("hubot").token,
      headers: { authorization: basic },
    });
    await app.rest.apps.deleteToken({
      client_id: TEST_APP.clientId,
      access_token: github.control.issueToken("hubot").token,
      headers: { authorization: basic },
    });

    expect(checker.problems).toEqual([]);
    const seen = [...checker.seen].sort();
    expect(seen).toEqual(
      expect.arrayContaining([
        "DELETE /applications/{client_id}/grant 204",
        "DELETE /applications/{client_id}/token 204",
        "GET /repos/{owner}/{repo} 200",
        "GET /repos/{owner}/{repo} 404",
        "GET /repos/{owner}/{repo}/assignees 200",
        "GET /repos/{owner}/{repo}/issues 200",
        "GET /repos/{owner}/{repo}/issues 404",
        "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
        "GET /repos/{owner}/{repo}/issues/{issue_number} 404",
        "GET /repos/{owner}/{repo}/issues/{issue_number} 410",
        "GET /repos/{owner}/{repo}/labels 200",
        "GET /repos/{owner}/{repo}/labels 404",
        "GET /repos/{owner}/{repo}/milestones 200",
        "GET /search/issues 200",
        "GET /search/issues 422",
        "GET /user 200",
        "GET /user 401",
        "GET /user/installations 200",
        "GET /user/installations/{installation_id}/repositories 200",
        "GET /user/installations/{installation_id}/repositories 404",
        "PATCH /repos/{owner}/{repo}/issues/{issue_number} 200",
        "PATCH /repos/{owner}/{repo}/issues/{issue_number} 403",
        "PATCH /repos/{owner}/{repo}/issues/{issue_number} 422",
        "POST /repos/{owner}/{repo}/issues 201",
        "POST /repos/{owner}/{repo}/issues 422",
      ]),
    );
  });

  it("answers 301 for a transferred issue in the documented shape", async () => {
    const moved = github.control.transferIssue({ repo: "acme/roadmap", number: 4, to: "acme/web" });
    const response = await fetch(`${github.url}/repos/acme/roadmap/issues/4`, {
      headers: { authorization: `Bearer ${github.control.issueToken("octocat").token}` },
      redirect: "manual",
    });
    expect(response.headers.get("location")).toBe(moved.url);
    validateGithubResponse("GET", "/repos/{owner}/{repo}/issues/{issue_number}", 301, await response.json());
  });

  it("catches drift: a missing field, a wrong type, an undocumented status, an unknown parameter", () => {
    const issue = github.control.getIssue({ repo: "acme/web", number: 1 });
    validateGithubResponse("GET", "/repos/{owner}/{repo}/issues/{issue_number}", 200, issue);
    const { number: _number, ...withoutNumber } = issue;
    expect(() =>
      validateGithubResponse("GET", "/repos/{owner}/{repo}/issues/{issue_number}", 200, withoutNumber),
    ).toThrow(/number/);
    expect(() =>
      validateGithubResponse("GET", "/repos/{owner}/{repo}/issues/{issue_number}", 200, { ...issue, id: "1" }),
    ).toThrow(/integer/);
    expect(() => validateGithubResponse("GET", "/repos/{owner}/{repo}/issues/{issue_number}", 418, {})).toThrow(
      /documents no 418/,
    );
    expect(() => validateGithubRequest("GET", "/repos/{owner}/{repo}/issues", { query: { colour: "red" } })).toThrow(
      /colour/,
    );
    expect(() =>
      validateGithubRequest("GET", "/repos/{owner}/{repo}/issues", { query: { state: "sideways" } }),
    ).toThrow(/state/);
    expect(() =>
      validateGithubRequest("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", { body: { state: "gone" } }),
    ).toThrow(/state/);
    validateGithubRequest("GET", "/repos/{owner}/{repo}/issues", {
      query: { state: "all", per_page: "100", page: "2" },
    });
  });
});

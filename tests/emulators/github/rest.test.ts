import { Octokit } from "octokit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED, seededIssue } from "./seed";
import type { GithubEmulator } from "./server";
import { specCheckingFetch, startTestEmulator } from "./test-support";

let github: GithubEmulator;
let checker: ReturnType<typeof specCheckingFetch>;

function octokitAs(login: string) {
  const { token } = github.control.issueToken(login);
  // No retries, and no client-side throttling (octokit spaces writes a second apart, searches two).
  return new Octokit({
    auth: token,
    baseUrl: github.url,
    request: { fetch: checker.fetch, retries: 0 },
    throttle: { enabled: false },
  });
}

beforeAll(async () => {
  github = await startTestEmulator();
});
afterAll(() => github.close());
beforeEach(() => {
  github.control.reset();
  checker = specCheckingFetch();
});

describe("GitHub emulator REST: issues with octokit", () => {
  it("answers who the token belongs to and which repositories the installation reaches", async () => {
    const octokit = octokitAs("octocat");
    const { data: user } = await octokit.rest.users.getAuthenticated();
    expect(user).toMatchObject({ login: "octocat", id: SEED.accountIds.octocat, type: "User" });

    const { data: installations } = await octokit.rest.apps.listInstallationsForAuthenticatedUser();
    expect(installations.installations.map((i) => i.account && "login" in i.account && i.account.login).sort()).toEqual(
      ["acme", "octocat"],
    );

    const repos = await octokit.paginate(octokit.rest.apps.listInstallationReposForAuthenticatedUser, {
      installation_id: SEED.installations.octocat,
    });
    // dotfiles belongs to octocat but is not in the app's installation.
    expect(repos.map((r) => r.full_name)).toEqual(["octocat/hello-world"]);

    const { data: repo } = await octokit.rest.repos.get({ owner: "acme", repo: "roadmap" });
    expect(repo).toMatchObject({
      full_name: "acme/roadmap",
      private: true,
      permissions: { admin: true, push: true, pull: true },
    });
    expect(checker.problems).toEqual([]);
  });

  it("reads an issue with its labels (with colours), assignees and milestone", async () => {
    const octokit = octokitAs("octocat");
    const ref = seededIssue("Slow first load on the pricing page");
    const { data: issue } = await octokit.rest.issues.get({
      owner: ref.owner,
      repo: ref.repo,
      issue_number: ref.number,
    });
    expect(issue.title).toBe("Slow first load on the pricing page");
    expect(issue.node_id).toMatch(/^I_kwDO/);
    expect(issue.labels).toEqual([
      expect.objectContaining({ name: "bug", color: "d73a4a" }),
      expect.objectContaining({ name: "performance", color: "fbca04" }),
    ]);
    expect(issue.assignees?.map((a) => a.login)).toEqual(["octocat", "monalisa"]);
    expect(issue.assignee?.login).toBe("octocat");
    expect(issue.milestone?.title).toBe("v2.0");
    expect(issue.html_url).toBe(`${github.url}/acme/web/issues/${ref.number}`);
    expect(checker.problems).toEqual([]);
  });

  it("lists issues and pull requests page by page, following the Link header", async () => {
    const octokit = octokitAs("octocat");
    const first = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "roadmap", state: "all", per_page: 4 });
    expect(first.data).toHaveLength(4);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('rel="last"');

    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "acme",
      repo: "roadmap",
      state: "all",
      per_page: 4,
    });
    expect(all).toHaveLength(15);
    expect(new Set(all.map((i) => i.number)).size).toBe(15);
    // Newest first, and pull requests among them with a `pull_request` key.
    expect(all[0]!.number).toBe(15);
    expect(all.filter((i) => i.pull_request).map((i) => i.title)).toEqual([
      "Update the Q1 retrospective",
      "Draft: Q2 OKRs",
    ]);

    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: "acme", repo: "roadmap" });
    expect(open.every((i) => i.state === "open")).toBe(true);
    const closed = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "acme",
      repo: "roadmap",
      state: "closed",
    });
    expect(open.length + closed.length).toBe(15);

    const bugs = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "web", labels: "bug", state: "all" });
    expect(bugs.data.every((i) => i.labels.some((l) => typeof l !== "string" && l.name === "bug"))).toBe(true);
    expect(checker.problems).toEqual([]);
  });

  it("searches issues by repo, kind, state and free text", async () => {
    const octokit = octokitAs("octocat");
    const { data } = await octokit.rest.search.issuesAndPullRequests({
      q: "repo:acme/web is:issue is:open navigation",
    });
    expect(data.incomplete_results).toBe(false);
    expect(data.items.map((i) => i.title)).toEqual(["New navigation bar"]);
    expect(data.total_count).toBe(1);

    const prs = await octokit.rest.search.issuesAndPullRequests({ q: "repo:acme/web is:pr" });
    expect(prs.data.items.every((i) => i.pull_request)).toBe(true);
    expect(prs.data.total_count).toBe(2);

    const closed = await octokit.rest.search.issuesAndPullRequests({ q: "org:acme is:issue is:closed" });
    expect(closed.data.items.every((i) => i.state === "closed")).toBe(true);

    const paged = await octokit.paginate(octokit.rest.search.issuesAndPullRequests, { q: "is:issue", per_page: 5 });
    expect(paged.length).toBeGreaterThan(20);
    // Issues of repositories outside the installation never show up.
    expect(paged.some((i) => i.repository_url.endsWith("/octocat/dotfiles"))).toBe(false);
    expect(checker.problems).toEqual([]);
  });

  it("refuses a search that mixes issues and pull requests, as GitHub does for user tokens", async () => {
    const octokit = octokitAs("octocat");
    await expect(octokit.rest.search.issuesAndPullRequests({ q: "repo:acme/web bug" })).rejects.toMatchObject({
      status: 422,
    });
    expect(checker.problems).toEqual([]);
  });

  it("creates and updates an issue; updated_at moves and state_reason follows GitHub", async () => {
    const octokit = octokitAs("octocat");
    const { data: created } = await octokit.rest.issues.create({
      owner: "acme",
      repo: "roadmap",
      title: "From a sticky note",
      body: "Made on the board",
      labels: ["enhancement", "brand new label"],
      assignees: ["octocat"],
      milestone: 2,
    });
    expect(created).toMatchObject({ number: 16, state: "open", state_reason: null, user: { login: "octocat" } });
    expect(created.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["enhancement", "brand new label"]);
    expect(created.milestone?.number).toBe(2);

    const closed = await octokit.rest.issues.update({
      owner: "acme",
      repo: "roadmap",
      issue_number: 16,
      state: "closed",
    });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "completed", closed_by: { login: "octocat" } });
    expect(closed.data.updated_at > created.updated_at).toBe(true);

    const reopened = await octokit.rest.issues.update({
      owner: "acme",
      repo: "roadmap",
      issue_number: 16,
      state: "open",
    });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
    expect(reopened.data.updated_at > closed.data.updated_at).toBe(true);

    const notPlanned = await octokit.rest.issues.update({
      owner: "acme",
      repo: "roadmap",
      issue_number: 16,
      state: "closed",
      state_reason: "not_planned",
      title: "From a sticky note (dropped)",
    });
    expect(notPlanned.data).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      title: "From a sticky note (dropped)",
    });
    expect(checker.problems).toEqual([]);
  });

  it("silently drops labels, assignees and milestone from a user without push access", async () => {
    const hubot = octokitAs("hubot");
    const { data: created } = await hubot.rest.issues.create({
      owner: "acme",
      repo: "roadmap",
      title: "Hubot's idea",
      labels: ["bug"],
      assignees: ["octocat"],
      milestone: 1,
    });
    expect(created).toMatchObject({ labels: [], assignees: [], milestone: null, user: { login: "hubot" } });

    const { data: updated } = await hubot.rest.issues.update({
      owner: "acme",
      repo: "roadmap",
      issue_number: created.number,
      title: "Hubot's better idea",
      labels: ["priority: high"],
      assignees: ["hubot"],
      state: "closed",
    });
    expect(updated).toMatchObject({ title: "Hubot's better idea", state: "closed", labels: [], assignees: [] });

    // Someone else's issue is out of reach without push access.
    const other = seededIssue("Plan the Q2 launch event");
    await expect(
      hubot.rest.issues.update({ owner: "acme", repo: "roadmap", issue_number: other.number, title: "mine now" }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(github.control.getIssue({ repo: "acme/roadmap", number: other.number }).title).toBe(
      "Plan the Q2 launch event",
    );
    expect(checker.problems).toEqual([]);
  });

  it("answers 404 for repositories the user cannot see and 401 for bad tokens", async () => {
    const monalisa = octokitAs("monalisa");
    await expect(monalisa.rest.issues.get({ owner: "acme", repo: "roadmap", issue_number: 1 })).rejects.toMatchObject({
      status: 404,
      response: { data: { message: "Not Found", documentation_url: expect.any(String) } },
    });
    const octocat = octokitAs("octocat");
    await expect(octocat.rest.issues.listForRepo({ owner: "octocat", repo: "dotfiles" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(octocat.rest.issues.get({ owner: "acme", repo: "nope", issue_number: 1 })).rejects.toMatchObject({
      status: 404,
    });

    const stranger = new Octokit({
      auth: "ghu_notarealtoken",
      baseUrl: github.url,
      request: { fetch: checker.fetch, retries: 0 },
      throttle: { enabled: false },
    });
    await expect(stranger.rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 401,
      response: { data: { message: "Bad credentials" } },
    });
    expect(checker.problems).toEqual([]);
  });

  it("validates input with GitHub's 422 errors", async () => {
    const octokit = octokitAs("octocat");
    await expect(
      octokit.rest.issues.update({ owner: "acme", repo: "roadmap", issue_number: 1, assignees: ["hubot"] }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: "Validation Failed",
          errors: [{ resource: "Issue", field: "assignees", code: "invalid", value: "hubot" }],
        },
      },
    });
    await expect(
      octokit.rest.issues.update({ owner: "acme", repo: "roadmap", issue_number: 1, milestone: 99 }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "acme", repo: "roadmap", title: "" }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ code: "missing_field", field: "title" }] } },
    });
    expect(checker.problems).toEqual([]);
  });

  it("lists labels, assignees and milestones", async () => {
    const octokit = octokitAs("hubot");
    const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner: "acme", repo: "web" });
    expect(labels.find((l) => l.name === "bug")).toMatchObject({
      color: "d73a4a",
      description: "Something isn't working",
    });
    const assignees = await octokit.paginate(octokit.rest.issues.listAssignees, { owner: "acme", repo: "web" });
    expect(assignees.map((a) => a.login)).toEqual(["monalisa", "octocat"]);
    const milestones = await octokit.rest.issues.listMilestones({ owner: "acme", repo: "roadmap" });
    expect(milestones.data.map((m) => m.title)).toEqual(["Q2 2026", "Later"]);
    const all = await octokit.rest.issues.listMilestones({ owner: "acme", repo: "roadmap", state: "all" });
    expect(all.data.map((m) => m.title)).toEqual(["Q1 2026", "Q2 2026", "Later"]);
    expect(checker.problems).toEqual([]);
  });

  it("answers 410 for a deleted issue and 301 to the new home of a transferred one", async () => {
    const octokit = octokitAs("octocat");
    github.control.deleteIssue({ repo: "acme/roadmap", number: 1 });
    await expect(octokit.rest.issues.get({ owner: "acme", repo: "roadmap", issue_number: 1 })).rejects.toMatchObject({
      status: 410,
    });

    const moved = github.control.transferIssue({ repo: "acme/roadmap", number: 2, to: "acme/web" });
    const response = await fetch(`${github.url}/repos/acme/roadmap/issues/2`, {
      headers: { authorization: `Bearer ${github.control.issueToken("octocat").token}` },
      redirect: "manual",
    });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe(moved.url);
    // octokit's fetch follows the redirect.
    const { data } = await octokit.rest.issues.get({ owner: "acme", repo: "roadmap", issue_number: 2 });
    expect(data).toMatchObject({ number: moved.number, repository_url: `${github.url}/repos/acme/web` });
  });

  it("sends rate-limit headers like GitHub", async () => {
    const octokit = octokitAs("octocat");
    const { headers } = await octokit.rest.users.getAuthenticated();
    expect(headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(headers["x-ratelimit-remaining"])).toBeLessThan(5000);
  });
});

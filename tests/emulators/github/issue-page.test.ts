import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seededIssue } from "./seed";
import type { GithubEmulator } from "./server";
import { startReceiver, startTestEmulator } from "./test-support";
import { validateWebhookPayload } from "./webhook-schema";

let github: GithubEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  github = await startTestEmulator({ webhookUrl: receiver.url });
});
afterAll(async () => {
  await github.close();
  await receiver.close();
});
beforeEach(() => {
  github.control.reset();
  receiver.clear();
});

/** Submits the issue form like a browser: a urlencoded POST, then follow the 303 back. */
async function submit(path: string, fields: Array<[string, string]>) {
  const response = await fetch(`${github.url}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  expect(response.status).toBe(303);
  return response.headers.get("location")!;
}

describe("GitHub emulator issue page (editing an issue 'on GitHub')", () => {
  it("shows the issue with its state, labels and assignees", async () => {
    const ref = seededIssue("Slow first load on the pricing page");
    const page = await (await fetch(`${github.url}/acme/web/issues/${ref.number}`)).text();
    expect(page).toContain("Slow first load on the pricing page");
    expect(page).toContain('class="state open"');
    expect(page).toMatch(/name="labels" value="performance" checked/);
    expect(page).toMatch(/name="assignees" value="monalisa" checked/);
    expect(page).toContain("Close as not planned");
  });

  it("saves title, body, labels and assignees and closes as not planned, sending the webhooks", async () => {
    const ref = seededIssue("Typo on the about page");
    const back = await submit(`/acme/web/issues/${ref.number}`, [
      ["as", "octocat"],
      ["fields", "labels,assignees,milestone"],
      ["title", "Typo on the About page"],
      ["body", "Fixed wording"],
      ["labels", "documentation"],
      ["assignees", "monalisa"],
      ["milestone", "2"],
      ["op", "close_not_planned"],
    ]);
    expect(decodeURIComponent(back)).toContain("Saved: edited, closed, unlabeled, assigned, milestoned");
    const issue = github.control.getIssue({ repo: "acme/web", number: ref.number });
    expect(issue).toMatchObject({
      title: "Typo on the About page",
      body: "Fixed wording",
      state: "closed",
      state_reason: "not_planned",
      assignees: [expect.objectContaining({ login: "monalisa" })],
      milestone: expect.objectContaining({ number: 2 }),
    });
    expect(issue.labels.map((l) => l.name)).toEqual(["documentation"]);

    await github.control.webhooksSettled();
    expect(receiver.received.map((d) => d.payload.action)).toEqual([
      "edited",
      "closed",
      "unlabeled",
      "assigned",
      "milestoned",
    ]);
    for (const delivery of receiver.received) validateWebhookPayload("issues", delivery.payload);
    expect(receiver.received[0]!.payload).toMatchObject({
      changes: { title: { from: "Typo on the about page" }, body: { from: '"Teh team" should read "The team".' } },
    });

    await submit(`/acme/web/issues/${ref.number}`, [
      ["as", "octocat"],
      ["op", "reopen"],
    ]);
    expect(github.control.getIssue({ repo: "acme/web", number: ref.number })).toMatchObject({
      state: "open",
      state_reason: "reopened",
    });
  });

  it("acts as the chosen user: hubot's label changes are dropped, and other people's issues are refused", async () => {
    const own = seededIssue("Typo on the about page");
    await submit(`/acme/web/issues/${own.number}`, [
      ["as", "hubot"],
      ["fields", "labels,assignees,milestone"],
      ["title", "Typo, by hubot"],
      ["labels", "bug"],
      ["op", "close_completed"],
    ]);
    const issue = github.control.getIssue({ repo: "acme/web", number: own.number });
    expect(issue).toMatchObject({ title: "Typo, by hubot", state: "closed", state_reason: "completed" });
    expect(issue.labels.map((l) => l.name)).toEqual(["documentation", "good first issue"]);

    const other = seededIssue("Login button misaligned on Safari");
    const back = await submit(`/acme/web/issues/${other.number}`, [
      ["as", "hubot"],
      ["title", "Hijacked"],
    ]);
    expect(back).toContain("error=1");
    expect(github.control.getIssue({ repo: "acme/web", number: other.number }).title).toBe(
      "Login button misaligned on Safari",
    );

    // monalisa cannot see acme/roadmap at all.
    expect((await fetch(`${github.url}/acme/roadmap/issues/1?as=monalisa`)).status).toBe(404);
  });

  it("opens a new issue from the form", async () => {
    const back = await submit("/octocat/hello-world/issues", [
      ["as", "hubot"],
      ["title", "Hello from the page"],
      ["body", "Typed by a person"],
    ]);
    expect(back).toContain("/octocat/hello-world/issues/");
    await github.control.webhooksSettled();
    expect(receiver.received.map((d) => d.payload.action)).toEqual(["opened"]);
    expect(receiver.received[0]!.payload).toMatchObject({
      sender: { login: "hubot" },
      issue: { title: "Hello from the page" },
    });
    validateWebhookPayload("issues", receiver.received[0]!.payload);
  });

  it("deletes and transfers issues (admins only)", async () => {
    await submit("/acme/roadmap/issues/1", [
      ["as", "octocat"],
      ["op", "transfer"],
      ["to", "acme/web"],
    ]);
    await submit("/acme/roadmap/issues/3", [
      ["as", "octocat"],
      ["op", "delete"],
    ]);
    await github.control.webhooksSettled();
    expect(receiver.received.map((d) => d.payload.action)).toEqual(["transferred", "opened", "deleted"]);
    for (const delivery of receiver.received) validateWebhookPayload("issues", delivery.payload);
    expect((await fetch(`${github.url}/acme/roadmap/issues/3`)).status).toBe(404);
    const moved = await fetch(`${github.url}/acme/roadmap/issues/1`, { redirect: "manual" });
    expect(moved.status).toBe(301);
  });

  it("lists repositories and issues on the home and repository pages", async () => {
    const home = await (await fetch(`${github.url}/?as=monalisa`)).text();
    expect(home).toContain("acme/web");
    expect(home).not.toContain("acme/roadmap");
    const list = await (await fetch(`${github.url}/acme/web/issues?state=closed`)).text();
    expect(list).toContain("Support Internet Explorer 11");
    expect(list).not.toContain("New navigation bar");
  });
});

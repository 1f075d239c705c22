import { Webhooks } from "@octokit/webhooks";
import { Octokit } from "octokit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED, seededIssue } from "./seed";
import type { GithubEmulator } from "./server";
import { type ReceivedWebhook, startReceiver, startTestEmulator, TEST_APP } from "./test-support";
import { validateWebhookPayload } from "./webhook-schema";

let github: GithubEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const webhooks = new Webhooks({ secret: TEST_APP.webhookSecret });

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
  receiver.setStatus(202);
});

function octokitAs(login: string) {
  const { token } = github.control.issueToken(login);
  return new Octokit({ auth: token, baseUrl: github.url, request: { retries: 0 }, throttle: { enabled: false } });
}

/** What a receiver must check: the signature (with octokit's own verifier) and the payload schema. */
async function expectGenuine(delivery: ReceivedWebhook) {
  expect(await webhooks.verify(delivery.body, String(delivery.headers["x-hub-signature-256"]))).toBe(true);
  validateWebhookPayload(String(delivery.headers["x-github-event"]), delivery.payload);
}

const actions = () => receiver.received.map((d) => d.payload.action);

describe("GitHub emulator webhooks", () => {
  it("delivers a signed issues event per change, with GitHub's headers and payload shape", async () => {
    const octokit = octokitAs("octocat");
    const ref = seededIssue("Plan the Q2 launch event");
    await octokit.rest.issues.update({
      owner: ref.owner,
      repo: ref.repo,
      issue_number: ref.number,
      title: "Plan the Q3 launch event",
      state: "closed",
    });
    await github.control.webhooksSettled();
    expect(actions()).toEqual(["edited", "closed"]);

    const [edited, closed] = receiver.received as [ReceivedWebhook, ReceivedWebhook];
    expect(edited.headers).toMatchObject({
      "x-github-event": "issues",
      "x-github-delivery": expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      "x-github-hook-id": expect.stringMatching(/^\d+$/),
      "x-hub-signature-256": expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
      "user-agent": expect.stringMatching(/^GitHub-Hookshot\/[0-9a-f]+$/),
      "content-type": "application/json",
    });
    expect(edited.headers["x-github-delivery"]).not.toBe(closed.headers["x-github-delivery"]);
    expect(edited.payload).toMatchObject({
      action: "edited",
      changes: { title: { from: "Plan the Q2 launch event" } },
      issue: { number: ref.number, title: "Plan the Q3 launch event", node_id: expect.stringMatching(/^I_kwDO/) },
      repository: { full_name: "acme/roadmap" },
      organization: { login: "acme" },
      sender: { login: "octocat" },
      installation: { id: SEED.installations.acme, node_id: expect.any(String) },
    });
    expect(closed.payload).toMatchObject({ action: "closed", issue: { state: "closed", state_reason: "completed" } });
    for (const delivery of receiver.received) await expectGenuine(delivery);
  });

  it("is accepted by @octokit/webhooks' verifyAndReceive", async () => {
    const seen: string[] = [];
    const app = new Webhooks({ secret: TEST_APP.webhookSecret });
    app.on("issues.labeled", ({ payload }) => {
      seen.push(`${payload.issue.number}:${payload.label?.name}`);
    });
    github.control.updateIssue({ repo: "acme/web", number: 1, labels: ["bug", "design"] });
    await github.control.webhooksSettled();
    for (const delivery of receiver.received) {
      await app.verifyAndReceive({
        id: String(delivery.headers["x-github-delivery"]),
        name: "issues",
        payload: delivery.body,
        signature: String(delivery.headers["x-hub-signature-256"]),
      });
    }
    expect(receiver.received.map((d) => d.payload.action)).toEqual(["labeled"]);
    expect(seen).toEqual(["1:design"]);
  });

  it("sends every supported action in a shape @octokit/webhooks-schemas accepts", async () => {
    const created = github.control.createIssue({
      repo: "acme/web",
      title: "All the things",
      labels: ["bug"],
      assignees: ["monalisa"],
      milestone: 1,
    });
    const ref = { repo: "acme/web", number: created.number };
    github.control.updateIssue({ ...ref, body: "More words" });
    github.control.updateIssue({ ...ref, labels: ["design"], assignees: ["octocat"], milestone: null });
    github.control.updateIssue({ ...ref, state: "closed", stateReason: "not_planned" });
    github.control.updateIssue({ ...ref, state: "open" });
    github.control.transferIssue({ ...ref, to: "acme/roadmap" });
    github.control.deleteIssue({ repo: "acme/web", number: 1 });
    await github.control.webhooksSettled();
    expect(actions()).toEqual([
      "opened",
      "labeled",
      "assigned",
      "milestoned",
      "edited",
      "labeled",
      "unlabeled",
      "assigned",
      "unassigned",
      "demilestoned",
      "closed",
      "reopened",
      "transferred",
      "opened",
      "deleted",
    ]);
    for (const delivery of receiver.received) await expectGenuine(delivery);
    const closed = receiver.received.find((d) => d.payload.action === "closed")!;
    expect(closed.payload).toMatchObject({ issue: { state_reason: "not_planned" } });
    const reopened = receiver.received.find((d) => d.payload.action === "reopened")!;
    expect(reopened.payload).toMatchObject({ issue: { state: "open", state_reason: "reopened" } });
    const transferred = receiver.received.find((d) => d.payload.action === "transferred")!;
    expect(transferred.payload).toMatchObject({
      changes: { new_repository: { full_name: "acme/roadmap" }, new_issue: { number: 16 } },
    });
  });

  it("records deliveries, and redelivers with the same X-GitHub-Delivery", async () => {
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Renamed" });
    await github.control.webhooksSettled();
    const [delivery] = github.control.deliveries();
    expect(delivery).toMatchObject({
      event: "issues",
      action: "edited",
      status: "delivered",
      statusCode: 202,
      redelivery: false,
    });
    expect(delivery!.attempts).toHaveLength(1);

    const again = github.control.redeliver(delivery!.guid);
    await github.control.webhooksSettled();
    expect(again).toMatchObject({ guid: delivery!.guid, redelivery: true, status: "delivered" });
    expect(again.id).not.toBe(delivery!.id);
    expect(receiver.received.map((d) => d.headers["x-github-delivery"])).toEqual([delivery!.guid, delivery!.guid]);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
  });

  it("duplicates the next delivery on demand", async () => {
    github.control.duplicateNext(1);
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Once" });
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Twice" });
    await github.control.webhooksSettled();
    const guids = receiver.received.map((d) => d.headers["x-github-delivery"]);
    expect(guids).toHaveLength(3);
    expect(guids[0]).toBe(guids[1]);
    expect(guids[2]).not.toBe(guids[0]);
  });

  it("holds deliveries and releases them in a chosen order", async () => {
    github.control.holdDeliveries();
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "First" });
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Second" });
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Third" });
    await github.control.webhooksSettled();
    expect(receiver.received).toHaveLength(0);
    expect(github.control.heldDeliveries().map((d) => d.status)).toEqual(["held", "held", "held"]);

    github.control.releaseDeliveries("reverse");
    await github.control.webhooksSettled();
    const titles = receiver.received.map((d) => (d.payload.issue as { title: string }).title);
    expect(titles).toEqual(["Third", "Second", "First"]);
    // Each payload is the issue as it was when the event happened, so updated_at tells the order apart.
    const stamps = receiver.received.map((d) => (d.payload.issue as { updated_at: string }).updated_at);
    expect([...stamps].sort().reverse()).toEqual(stamps);

    // Named order (by delivery id), the rest after.
    receiver.clear();
    github.control.holdDeliveries();
    github.control.updateIssue({ repo: "acme/roadmap", number: 2, title: "A" });
    github.control.updateIssue({ repo: "acme/roadmap", number: 2, title: "B" });
    github.control.updateIssue({ repo: "acme/roadmap", number: 2, title: "C" });
    const [a, b, c] = github.control.heldDeliveries();
    github.control.releaseDeliveries([b!.id, c!.guid]);
    await github.control.webhooksSettled();
    expect(receiver.received.map((d) => d.headers["x-github-delivery"])).toEqual([b!.guid, c!.guid, a!.guid]);
  });

  it("drops deliveries on demand; a redelivery brings them back", async () => {
    github.control.dropNext(1);
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Lost" });
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Found" });
    await github.control.webhooksSettled();
    expect(receiver.received.map((d) => (d.payload.issue as { title: string }).title)).toEqual(["Found"]);
    const dropped = github.control.deliveries().find((d) => d.status === "dropped")!;
    expect(dropped.attempts).toEqual([]);
    github.control.redeliver(dropped.id);
    await github.control.webhooksSettled();
    expect(receiver.received[1]!.headers["x-github-delivery"]).toBe(dropped.guid);
  });

  it("delays deliveries on demand", async () => {
    github.control.delayDeliveries(150);
    const started = Date.now();
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Slow" });
    await receiver.waitFor(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("records the receiver's failures (GitHub does not retry on its own)", async () => {
    receiver.setStatus(500);
    github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Boom" });
    await github.control.webhooksSettled();
    expect(github.control.deliveries()[0]).toMatchObject({ status: "failed", statusCode: 500 });
    expect(receiver.received).toHaveLength(1);
  });

  it("sends nothing for repositories outside the installation, or for pull requests", async () => {
    github.control.updateIssue({ repo: "octocat/dotfiles", number: 1, title: "Private matter" });
    github.control.updateIssue({
      repo: "acme/roadmap",
      number: seededIssue("Draft: Q2 OKRs").number,
      title: "PR edit",
    });
    await github.control.webhooksSettled();
    expect(receiver.received).toHaveLength(0);
  });

  it("is controlled over HTTP too: webhook URL, faults, deliveries, redelivery", async () => {
    const other = await startReceiver();
    try {
      const put = await fetch(`${github.url}/_emulator/webhook`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: other.url }),
      });
      expect(await put.json()).toEqual({ url: other.url });
      await fetch(`${github.url}/_emulator/webhook/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hold: true }),
      });
      await fetch(`${github.url}/_emulator/issues`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ repo: "acme/web", title: "Via HTTP", as: "monalisa" }),
      });
      const listed = (await (await fetch(`${github.url}/_emulator/deliveries`)).json()) as Array<{
        id: number;
        status: string;
        action: string;
      }>;
      expect(listed).toMatchObject([{ action: "opened", status: "held" }]);
      await fetch(`${github.url}/_emulator/webhook/release`, { method: "POST" });
      await other.waitFor(1);
      const redelivered = await fetch(`${github.url}/_emulator/deliveries/${listed[0]!.id}/redeliver`, {
        method: "POST",
      });
      expect(redelivered.status).toBe(202);
      await other.waitFor(2);
      expect(other.received[0]!.headers["x-github-delivery"]).toBe(other.received[1]!.headers["x-github-delivery"]);
      expect(receiver.received).toHaveLength(0);
    } finally {
      github.control.setWebhookUrl(receiver.url);
      await other.close();
    }
  });
});

describe("GitHub emulator webhooks, concurrent", () => {
  it("sends duplicates at the same time when asked to, so they race at the receiver", async () => {
    const slow = await startReceiver({ delayMs: 100 });
    try {
      github.control.setWebhookUrl(slow.url);
      github.control.setFaults({ concurrent: true });
      github.control.duplicateNext(1);
      github.control.updateIssue({ repo: "acme/roadmap", number: 1, title: "Racing" });
      await github.control.webhooksSettled();
      expect(slow.received).toHaveLength(2);
      expect(slow.received[0]!.headers["x-github-delivery"]).toBe(slow.received[1]!.headers["x-github-delivery"]);
      // Both were at the receiver at once.
      expect(slow.maxInFlight()).toBe(2);
    } finally {
      github.control.setWebhookUrl(receiver.url);
      await slow.close();
    }
  });
});

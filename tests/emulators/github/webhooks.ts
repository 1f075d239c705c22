import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Shapes } from "./shapes";
import type { GithubState, IssueEvent } from "./state";

/**
 * Webhook delivery for the GitHub App: every `IssueEvent` from the state becomes an `issues`
 * delivery, shaped like GitHub's payloads (templates: `@octokit/webhooks-examples`; schema:
 * `@octokit/webhooks-schemas`), signed and POSTed to the app's webhook URL with GitHub's headers
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers).
 *
 * Deliveries are recorded like the app settings' "Recent Deliveries" (id, guid, event, action,
 * payload, attempts, response status), and faults can be injected to test the receiver: duplicates
 * (GitHub may deliver an event more than once), holding and releasing in another order (GitHub
 * does not guarantee order), drops (a lost delivery, later redelivered), and delay. A redelivery
 * keeps the `X-GitHub-Delivery` guid, as GitHub's "Redeliver" does.
 */

export type DeliveryStatus = "pending" | "held" | "dropped" | "delivered" | "failed" | "no_url";

export type DeliveryAttempt = { at: string; url: string; statusCode?: number; error?: string; durationMs: number };

export type Delivery = {
  /** GitHub's numeric delivery id (what the deliveries API and "Recent Deliveries" list). */
  id: number;
  /** The `X-GitHub-Delivery` header: a UUID, the same for redeliveries and duplicates. */
  guid: string;
  event: string;
  action: string | undefined;
  payload: Record<string, unknown>;
  /** The exact bytes sent (and signed). */
  body: string;
  headers: Record<string, string>;
  createdAt: string;
  redelivery: boolean;
  status: DeliveryStatus;
  /** The last response's status code. */
  statusCode?: number;
  attempts: DeliveryAttempt[];
};

export type WebhookFaults = {
  /** The next N deliveries are each sent twice (same guid). */
  duplicateNext?: number;
  /** The next N deliveries are recorded but never sent (redeliver them to send them). */
  dropNext?: number;
  /** Wait this long before sending each delivery. */
  delayMs?: number;
  /** Keep new deliveries until `release()`. */
  hold?: boolean;
  /**
   * Send without waiting for the previous delivery, as GitHub does: duplicates then race each other
   * (the receiver's unique delivery id must hold under concurrency). Default: one at a time.
   */
  concurrent?: boolean;
};

export type WebhookOptions = {
  url?: string;
  secret: string;
  /** GitHub App webhooks have one hook; its id goes in `X-GitHub-Hook-ID`. */
  hookId?: number;
  appId: number;
};

const HOOKSHOT_VERSION = randomBytes(4).toString("hex").slice(0, 7);
/** GitHub gives up on a delivery after ten seconds. */
const TIMEOUT_MS = 10_000;

export function signBody(secret: string, body: string) {
  return {
    sha256: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    sha1: `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
  };
}

/**
 * One POST on a fresh connection, as Hookshot sends each delivery: reusing a kept-alive socket
 * would race the receiver's idle timeout and fail deliveries at random.
 */
function postOnce(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: "POST",
        agent: false,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private held: Delivery[] = [];
  private faults: Required<WebhookFaults> = {
    duplicateNext: 0,
    dropNext: 0,
    delayMs: 0,
    hold: false,
    concurrent: false,
  };
  private queue: Promise<void> = Promise.resolve();
  private inFlight = new Set<Promise<void>>();
  private nextId = 1;
  private readonly hookId: number;

  constructor(
    private readonly state: GithubState,
    private readonly shapes: Shapes,
    private readonly options: WebhookOptions,
  ) {
    this.hookId = options.hookId ?? 480_123_456;
    state.events.on("issue", (event: IssueEvent) => this.onIssueEvent(event));
  }

  get url() {
    return this.options.url;
  }

  setUrl(url: string | undefined) {
    this.options.url = url;
  }

  setFaults(faults: WebhookFaults) {
    this.faults = { ...this.faults, ...faults };
  }

  getFaults(): Required<WebhookFaults> {
    return { ...this.faults };
  }

  /** Forgets every delivery and fault (pending sends still finish). */
  clear() {
    this.deliveries.length = 0;
    this.held = [];
    this.faults = { duplicateNext: 0, dropNext: 0, delayMs: 0, hold: false, concurrent: false };
    this.nextId = 1;
  }

  find(idOrGuid: string | number): Delivery | undefined {
    return this.deliveries.find((d) => String(d.id) === String(idOrGuid) || d.guid === idOrGuid);
  }

  /** Resolves once every scheduled send has finished (held and dropped ones stay put). */
  async settled() {
    let seen: Promise<void> | undefined;
    while (seen !== this.queue || this.inFlight.size > 0) {
      seen = this.queue;
      await Promise.all([seen, ...this.inFlight]);
    }
  }

  /** The `issues` payload for an event, as GitHub builds it; undefined when the app would get none. */
  issuesPayload(event: IssueEvent): Record<string, unknown> | undefined {
    const { repo } = event;
    // A GitHub App hears only from repositories it is installed on.
    if (repo.installationId === undefined) return undefined;
    const owner = this.state.accountOrThrow(repo.owner);
    const payload: Record<string, unknown> = { action: event.action, issue: this.shapes.webhookIssue(event.issue) };
    if (event.action === "edited") payload.changes = event.changes ?? {};
    if (event.action === "transferred" && event.newIssue) {
      payload.changes = {
        new_issue: this.shapes.webhookIssue(event.newIssue),
        new_repository: this.shapes.webhookRepository(this.state.repoOrThrow(event.newIssue.repoId)),
      };
    }
    if ((event.action === "labeled" || event.action === "unlabeled") && event.label) {
      payload.label = this.shapes.webhookLabel(repo, event.label);
    }
    if (event.action === "assigned" || event.action === "unassigned") {
      payload.assignee = event.assignee ? this.shapes.webhookUser(event.assignee) : null;
    }
    if ((event.action === "milestoned" || event.action === "demilestoned") && event.milestone) {
      payload.milestone = this.shapes.webhookMilestone(repo, event.milestone);
    }
    payload.repository = this.shapes.webhookRepository(repo);
    if (owner.type === "Organization") payload.organization = this.shapes.webhookOrganization(owner.login);
    payload.sender = this.shapes.webhookUser(event.sender);
    payload.installation = this.shapes.installationLite(repo.installationId);
    return payload;
  }

  private onIssueEvent(event: IssueEvent) {
    // Built now, not at send time: the payload is a snapshot of the issue when the event happened.
    const payload = this.issuesPayload(event);
    if (payload) this.enqueue("issues", payload);
  }

  /** Records a delivery and sends it, subject to the faults in force. */
  enqueue(event: string, payload: Record<string, unknown>): Delivery {
    const body = JSON.stringify(payload);
    const guid = randomUUID();
    const signature = signBody(this.options.secret, body);
    const delivery: Delivery = {
      id: this.nextId++,
      guid,
      event,
      action: typeof payload.action === "string" ? payload.action : undefined,
      payload,
      body,
      headers: {
        accept: "*/*",
        "content-type": "application/json",
        "user-agent": `GitHub-Hookshot/${HOOKSHOT_VERSION}`,
        "x-github-delivery": guid,
        "x-github-event": event,
        "x-github-hook-id": String(this.hookId),
        "x-github-hook-installation-target-id": String(this.options.appId),
        "x-github-hook-installation-target-type": "integration",
        "x-hub-signature": signature.sha1,
        "x-hub-signature-256": signature.sha256,
      },
      createdAt: this.state.timestamp(),
      redelivery: false,
      status: "pending",
      attempts: [],
    };
    this.deliveries.push(delivery);
    if (this.faults.dropNext > 0) {
      this.faults.dropNext--;
      delivery.status = "dropped";
      return delivery;
    }
    const copies = this.faults.duplicateNext > 0 ? 2 : 1;
    if (copies === 2) this.faults.duplicateNext--;
    if (this.faults.hold) {
      delivery.status = "held";
      for (let i = 0; i < copies; i++) this.held.push(delivery);
      return delivery;
    }
    for (let i = 0; i < copies; i++) this.schedule(delivery);
    return delivery;
  }

  /** Held deliveries, oldest first (a duplicated one appears twice). */
  heldDeliveries(): Delivery[] {
    return [...this.held];
  }

  /**
   * Sends the held deliveries: those named in `order` (ids or guids) first, in that order, then the
   * rest oldest first; `"reverse"` sends newest first. Holding stops unless `keepHolding`.
   */
  release(order?: Array<string | number> | "reverse", options: { keepHolding?: boolean } = {}): Delivery[] {
    let batch = this.held;
    this.held = [];
    if (order === "reverse") batch = [...batch].reverse();
    else if (order) {
      const named: Delivery[] = [];
      for (const key of order) {
        const index = batch.findIndex((d) => String(d.id) === String(key) || d.guid === key);
        if (index >= 0) named.push(...batch.splice(index, 1));
      }
      batch = [...named, ...batch];
    }
    if (!options.keepHolding) this.faults.hold = false;
    for (const delivery of batch) this.schedule(delivery);
    return batch;
  }

  /**
   * GitHub's "Redeliver": a new delivery record (`redelivery: true`) with the same guid, payload
   * and signature, sent now regardless of faults.
   */
  redeliver(idOrGuid: string | number): Delivery | undefined {
    const original = this.find(idOrGuid);
    if (!original) return undefined;
    const copy: Delivery = {
      ...original,
      id: this.nextId++,
      createdAt: this.state.timestamp(),
      redelivery: true,
      status: "pending",
      statusCode: undefined,
      attempts: [],
    };
    this.deliveries.push(copy);
    this.schedule(copy, { ignoreDelay: true });
    return copy;
  }

  private schedule(delivery: Delivery, options: { ignoreDelay?: boolean } = {}) {
    delivery.status = "pending";
    if (this.faults.concurrent) {
      const sending = this.send(delivery, options).catch(() => undefined);
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
      return;
    }
    // One at a time, in the order scheduled: reordering is then a fault the tests ask for, not an accident.
    this.queue = this.queue.then(() => this.send(delivery, options)).catch(() => undefined);
  }

  private async send(delivery: Delivery, options: { ignoreDelay?: boolean }) {
    if (this.faults.delayMs > 0 && !options.ignoreDelay) await new Promise((r) => setTimeout(r, this.faults.delayMs));
    const url = this.options.url;
    if (!url) {
      delivery.status = "no_url";
      return;
    }
    const started = Date.now();
    const attempt: DeliveryAttempt = { at: this.state.timestamp(), url, durationMs: 0 };
    delivery.attempts.push(attempt);
    try {
      const statusCode = await postOnce(url, delivery.headers, delivery.body);
      attempt.statusCode = statusCode;
      delivery.statusCode = statusCode;
      delivery.status = statusCode >= 200 && statusCode < 300 ? "delivered" : "failed";
    } catch (error) {
      attempt.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      delivery.status = "failed";
    } finally {
      attempt.durationMs = Date.now() - started;
    }
  }
}

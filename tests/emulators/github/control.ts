import type { EmulatorRequest, Router } from "../shared/router";
import type { GithubEmulatorContext } from "./context";
import { githubError, guarded } from "./http";
import { seed } from "./seed";
import { type Account, GithubError, type Issue, type IssueChange, type Permission, type Repo } from "./state";
import type { RestFault } from "./rest-faults";
import type { Delivery, WebhookFaults } from "./webhooks";

/**
 * The emulator's control surface, for tests (in process: `control`) and for people and browser
 * tests (over HTTP under `/_emulator/`, JSON in and out). Nothing here exists on GitHub: it stands
 * in for what a tester would do by hand (mint a token, break webhook delivery, add a repository).
 */

export type RequestLogEntry = {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The login behind the token, when the request carried a valid one. */
  login?: string;
  /** The parsed request body (JSON or form); `client_secret` is redacted. */
  body?: unknown;
  durationMs: number;
};

export type IssueRef = { repo: string; number: number };

export type GithubControl = ReturnType<typeof createControl>;

function splitRepo(fullName: string): [string, string] {
  const [owner, name] = fullName.split("/");
  if (!owner || !name) throw new GithubError(422, `Expected owner/name, got ${fullName}`);
  return [owner, name];
}

export function createControl(context: GithubEmulatorContext, requestLog: RequestLogEntry[]) {
  const { state, webhooks, shapes } = context;

  const repoOrThrow = (fullName: string): Repo => {
    const [owner, name] = splitRepo(fullName);
    const repo = state.repoByName(owner, name);
    if (!repo) throw new GithubError(404, `No repository ${fullName}`);
    return repo;
  };
  const issueOrThrow = (ref: IssueRef): Issue => {
    const issue = state.issueByNumber(repoOrThrow(ref.repo), ref.number);
    if (!issue || issue.deleted) throw new GithubError(404, `No issue ${ref.repo}#${ref.number}`);
    return issue;
  };

  return {
    state,

    /** Forgets everything (issues, tokens, deliveries, faults, the request log) and reseeds unless `seed: false`. The webhook URL stays. */
    reset(options: { seed?: boolean } = {}) {
      state.clear();
      state.clockOffsetMs = 0;
      webhooks.clear();
      context.rateLimits.clear();
      context.restFaults.clear();
      requestLog.length = 0;
      if (options.seed ?? context.options.seed ?? true) seed(state);
    },

    /** A user-to-server token pair for `login`, as if they had just signed in through OAuth. */
    issueToken(login: string, options: { expiresIn?: number } = {}) {
      const tokens = state.issueTokens(login, context.options.clientId, { expiresInS: options.expiresIn });
      return { token: tokens.access_token, refreshToken: tokens.refresh_token, ...tokens };
    },

    /** An authorization code, as if `login` had approved on the consent page (skips the browser). */
    authorize(input: { login: string; redirectUri?: string; codeChallenge?: string }) {
      state.accountOrThrow(input.login);
      return state.issueCode({
        login: input.login,
        clientId: context.options.clientId,
        redirectUri: input.redirectUri ?? null,
        codeChallenge: input.codeChallenge ?? null,
      });
    },

    /** Moves the emulator's clock (tokens and codes expire by it). */
    advanceClock(ms: number) {
      state.clockOffsetMs += ms;
    },

    createUser(input: { login: string; name?: string; type?: Account["type"]; email?: string }) {
      return state.addAccount(input);
    },

    /** A repository; `installed` (default true) puts it in the owner's app installation, creating one if needed. */
    createRepo(input: {
      owner: string;
      name: string;
      private?: boolean;
      description?: string;
      collaborators?: Record<string, Permission>;
      installed?: boolean;
      labels?: Array<{ name: string; color?: string; description?: string }>;
      milestones?: Array<{ title: string; dueOn?: string }>;
    }) {
      let installationId: number | undefined;
      if (input.installed ?? true) {
        const existing = [...state.installations.values()].find(
          (i) => i.account.toLowerCase() === input.owner.toLowerCase(),
        );
        installationId = (existing ?? state.addInstallation({ account: input.owner, repositorySelection: "selected" }))
          .id;
      }
      const repo = state.addRepo({ ...input, installationId });
      for (const label of input.labels ?? []) state.addLabel(repo, label);
      const creator =
        state.account(input.owner)?.type === "User" ? input.owner : ([...repo.collaborators.keys()][0] ?? input.owner);
      for (const milestone of input.milestones ?? []) state.addMilestone(repo, { ...milestone, creator });
      return repo;
    },

    /** Opens an issue as `as` (default octocat) through the same path as REST: webhooks fire. Returns the REST shape. */
    createIssue(input: { repo: string; as?: string; title: string } & Omit<IssueChange, "title" | "state">) {
      const { repo, as, ...change } = input;
      return shapes.issue(state.createIssue(repoOrThrow(repo), as ?? "octocat", change), { detail: true });
    },

    updateIssue(input: IssueRef & { as?: string } & IssueChange) {
      const { repo, number, as, ...change } = input;
      const issue = issueOrThrow({ repo, number });
      state.updateIssue(issue, as ?? "octocat", change);
      return shapes.issue(issue, { detail: true });
    },

    /** The issue as GET /repos/{owner}/{repo}/issues/{number} shows it (no token needed). */
    getIssue(ref: IssueRef) {
      return shapes.issue(issueOrThrow(ref), { detail: true });
    },

    deleteIssue(input: IssueRef & { as?: string }) {
      state.deleteIssue(issueOrThrow(input), input.as ?? "octocat");
    },

    transferIssue(input: IssueRef & { to: string; as?: string }) {
      const moved = state.transferIssue(issueOrThrow(input), input.as ?? "octocat", repoOrThrow(input.to));
      return shapes.issue(moved, { detail: true });
    },

    // ---- webhooks ----

    get webhookUrl() {
      return webhooks.url;
    },
    setWebhookUrl(url: string | undefined) {
      webhooks.setUrl(url);
    },
    deliveries(filter: { event?: string; action?: string } = {}): Delivery[] {
      return webhooks.deliveries.filter(
        (d) => (!filter.event || d.event === filter.event) && (!filter.action || d.action === filter.action),
      );
    },
    delivery(idOrGuid: string | number) {
      return webhooks.find(idOrGuid);
    },
    redeliver(idOrGuid: string | number) {
      const copy = webhooks.redeliver(idOrGuid);
      if (!copy) throw new GithubError(404, "Not Found");
      return copy;
    },
    setFaults(faults: WebhookFaults) {
      webhooks.setFaults(faults);
    },
    /** The next `n` deliveries are each sent twice, with the same X-GitHub-Delivery. */
    duplicateNext(n = 1) {
      webhooks.setFaults({ duplicateNext: n });
    },
    /** The next `n` deliveries are recorded as dropped and not sent. */
    dropNext(n = 1) {
      webhooks.setFaults({ dropNext: n });
    },
    delayDeliveries(ms: number) {
      webhooks.setFaults({ delayMs: ms });
    },
    holdDeliveries() {
      webhooks.setFaults({ hold: true });
    },
    heldDeliveries() {
      return webhooks.heldDeliveries();
    },
    /** Sends the held deliveries: named ones (ids or guids) first in that order, or `"reverse"`. */
    releaseDeliveries(order?: Array<string | number> | "reverse") {
      return webhooks.release(order);
    },
    /** Resolves when every scheduled delivery has been attempted. */
    webhooksSettled() {
      return webhooks.settled();
    },

    // ---- REST faults ----

    /** The next matching REST request(s) fail: a 5xx, or GitHub's primary or secondary rate limit. */
    failNextRequests(fault: RestFault = {}) {
      context.restFaults.add(fault);
    },
    clearRestFaults() {
      context.restFaults.clear();
    },

    // ---- request log ----

    requests(filter: { method?: string; path?: string | RegExp } = {}): RequestLogEntry[] {
      return requestLog.filter(
        (entry) =>
          (!filter.method || entry.method === filter.method.toUpperCase()) &&
          (!filter.path ||
            (typeof filter.path === "string" ? entry.path === filter.path : filter.path.test(entry.path))),
      );
    },
    clearRequests() {
      requestLog.length = 0;
    },
  };
}

function summary(delivery: Delivery) {
  const { body: _body, ...rest } = delivery;
  return rest;
}

/** The same control over HTTP, under `/_emulator/`. */
export function mountControl(router: Router, context: GithubEmulatorContext, control: GithubControl) {
  const body = (req: EmulatorRequest) => req.json<Record<string, unknown>>() ?? {};
  const json =
    (run: (req: EmulatorRequest) => unknown, status = 200) =>
    (req: EmulatorRequest) =>
      guarded(() => {
        try {
          const result = run(req);
          return { status: result === undefined ? 204 : status, body: result };
        } catch (error) {
          // Setup mistakes (a user that exists, an owner that does not) are the caller's: 422, not 500.
          if (error instanceof Error && !(error instanceof GithubError)) throw new GithubError(422, error.message);
          throw error;
        }
      });

  router.get(
    "/_emulator",
    json(() => ({
      emulator: "github",
      clientId: context.options.clientId,
      webhookUrl: control.webhookUrl ?? null,
      faults: context.webhooks.getFaults(),
      users: [...context.state.accounts.values()].map((a) => ({ login: a.login, id: a.id, type: a.type })),
      repos: [...context.state.repos.values()].map((r) => ({
        full_name: `${r.owner}/${r.name}`,
        id: r.id,
        installation_id: r.installationId ?? null,
      })),
      deliveries: context.webhooks.deliveries.length,
    })),
  );
  router.post(
    "/_emulator/reset",
    json((req) => {
      control.reset({ seed: body(req).seed as boolean | undefined });
      return { ok: true };
    }),
  );
  router.post(
    "/_emulator/tokens",
    json((req) => {
      const { login, expires_in } = body(req);
      if (typeof login !== "string") throw new GithubError(422, "login is required");
      return control.issueToken(login, { expiresIn: typeof expires_in === "number" ? expires_in : undefined });
    }, 201),
  );
  router.post(
    "/_emulator/clock",
    json((req) => {
      control.advanceClock(Number(body(req).advance_ms ?? 0));
      return { offset_ms: context.state.clockOffsetMs };
    }),
  );
  router.post(
    "/_emulator/users",
    json((req) => control.createUser(body(req) as Parameters<GithubControl["createUser"]>[0]), 201),
  );
  router.post(
    "/_emulator/repos",
    json((req) => {
      const repo = control.createRepo(body(req) as Parameters<GithubControl["createRepo"]>[0]);
      return context.shapes.repository(repo, repo.owner);
    }, 201),
  );
  router.post(
    "/_emulator/issues",
    json((req) => control.createIssue(body(req) as Parameters<GithubControl["createIssue"]>[0]), 201),
  );
  router.patch(
    "/_emulator/issues/:owner/:repo/:number",
    json((req) =>
      control.updateIssue({
        ...(body(req) as IssueChange & { as?: string }),
        repo: `${req.params.owner}/${req.params.repo}`,
        number: Number(req.params.number),
      }),
    ),
  );
  router.delete(
    "/_emulator/issues/:owner/:repo/:number",
    json((req) => {
      control.deleteIssue({
        as: body(req).as as string | undefined,
        repo: `${req.params.owner}/${req.params.repo}`,
        number: Number(req.params.number),
      });
      return undefined;
    }),
  );
  router.post(
    "/_emulator/issues/:owner/:repo/:number/transfer",
    json((req) => {
      const { to, as } = body(req);
      return control.transferIssue({
        to: String(to),
        as: as as string | undefined,
        repo: `${req.params.owner}/${req.params.repo}`,
        number: Number(req.params.number),
      });
    }),
  );

  router.get(
    "/_emulator/webhook",
    json(() => ({ url: control.webhookUrl ?? null, faults: context.webhooks.getFaults() })),
  );
  router.put(
    "/_emulator/webhook",
    json((req) => {
      const { url } = body(req);
      control.setWebhookUrl(typeof url === "string" && url ? url : undefined);
      return { url: control.webhookUrl ?? null };
    }),
  );
  router.put(
    "/_emulator/webhook/faults",
    json((req) => {
      const b = body(req);
      const faults: WebhookFaults = {};
      if (b.duplicate_next !== undefined) faults.duplicateNext = Number(b.duplicate_next);
      if (b.drop_next !== undefined) faults.dropNext = Number(b.drop_next);
      if (b.delay_ms !== undefined) faults.delayMs = Number(b.delay_ms);
      if (b.hold !== undefined) faults.hold = Boolean(b.hold);
      if (b.concurrent !== undefined) faults.concurrent = Boolean(b.concurrent);
      control.setFaults(faults);
      return context.webhooks.getFaults();
    }),
  );
  router.post(
    "/_emulator/webhook/release",
    json((req) => {
      const order = body(req).order as Array<string | number> | "reverse" | undefined;
      return { released: control.releaseDeliveries(order).map((d) => ({ id: d.id, guid: d.guid, action: d.action })) };
    }),
  );
  router.get(
    "/_emulator/deliveries",
    json((req) =>
      control
        .deliveries({
          event: req.url.searchParams.get("event") ?? undefined,
          action: req.url.searchParams.get("action") ?? undefined,
        })
        .map(summary),
    ),
  );
  router.get("/_emulator/deliveries/:id", (req) => {
    const delivery = control.delivery(req.params.id!);
    return delivery ? { body: summary(delivery) } : githubError(404, "Not Found");
  });
  router.post(
    "/_emulator/deliveries/:id/redeliver",
    json((req) => summary(control.redeliver(req.params.id!)), 202),
  );
  router.put(
    "/_emulator/rest/faults",
    json((req) => {
      const b = body(req);
      control.failNextRequests({
        count: b.count === undefined ? undefined : Number(b.count),
        method: b.method as string | undefined,
        path: b.path as string | undefined,
        kind: b.kind as RestFault["kind"],
        status: b.status === undefined ? undefined : Number(b.status),
        retryAfter: b.retry_after === undefined ? undefined : Number(b.retry_after),
      });
      return { pending: context.restFaults.pending().map((f) => ({ ...f, path: f.path?.toString() })) };
    }),
  );
  router.delete(
    "/_emulator/rest/faults",
    json(() => {
      control.clearRestFaults();
      return undefined;
    }),
  );
  router.get(
    "/_emulator/requests",
    json(() => control.requests()),
  );
  router.delete(
    "/_emulator/requests",
    json(() => {
      control.clearRequests();
      return undefined;
    }),
  );
}

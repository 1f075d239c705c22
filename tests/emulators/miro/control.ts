import type { EmulatorReply, EmulatorRequest, Router } from "../shared/router";
import type { MiroEmulatorOptions } from "./context";
import type { FailureRates, FaultSettings, ForcedStatus, MiroFaults } from "./faults";
import type { MiroOAuth, TokenResponse } from "./oauth";
import type { CreditLimiter } from "./rate-limit";
import type { LoggedRequest, RequestLog } from "./request-log";
import { seedMiro } from "./seed";
import type { MiroState, MiroTeam, MiroUser } from "./state";

/**
 * Steering the emulator from a test: the same abilities in process (`MiroControl`) and over HTTP
 * under `/_emulator/` (JSON), for tests that drive the app in another process (Playwright, the
 * sandbox). Nothing here is part of Miro's API.
 */

export type WorldSeed = {
  users?: (Partial<MiroUser> & { name: string })[];
  teams?: (Partial<MiroTeam> & { name: string; memberIds?: string[] })[];
  boards?: { id?: string; name: string; teamId: string; memberIds: string[] }[];
};

export type SeededWorld = {
  users: MiroUser[];
  teams: MiroTeam[];
  boards: { id: string; name: string; teamId: string; memberIds: string[] }[];
};

type ControlDeps = {
  state: MiroState;
  options: Required<MiroEmulatorOptions>;
  oauth: MiroOAuth;
  limiter: CreditLimiter;
  faults: MiroFaults;
  log: RequestLog;
};

export class MiroControl {
  constructor(private readonly deps: ControlDeps) {}

  /**
   * Back to a fresh start: no items, boards, users, codes or tokens, full credit budgets, no faults,
   * an empty request log; then the SEED world again unless `seed: false`. The state object stays
   * the same (the sandbox board holds it); removed items are announced as deletions.
   */
  reset({ seed = true }: { seed?: boolean } = {}) {
    const { state, oauth, limiter, faults, log, options } = this.deps;
    for (const board of state.boards.values()) {
      for (const itemId of [...board.items.keys()]) state.deleteItem(board.id, itemId);
    }
    state.boards.clear();
    state.users.clear();
    state.teams.clear();
    state.memberships.clear();
    oauth.reset();
    limiter.reset();
    limiter.setBudget(options.creditsPerMinute);
    faults.reset();
    log.clear();
    if (seed) seedMiro(state);
  }

  /** Adds users, teams (with members) and boards (with members); ids are drawn when not given. */
  seed(world: WorldSeed): SeededWorld {
    const { state } = this.deps;
    const users = (world.users ?? []).map((user) => state.addUser(user));
    const teams = (world.teams ?? []).map(({ memberIds = [], ...team }) => {
      for (const id of memberIds) if (!state.users.has(id)) throw new Error(`No user ${id}`);
      return state.addTeam(team, memberIds);
    });
    const boards = (world.boards ?? []).map((board) => {
      if (!state.teams.has(board.teamId)) throw new Error(`No team ${board.teamId}`);
      const created = state.addBoard(board);
      return { id: created.id, name: created.name, teamId: created.teamId, memberIds: [...created.members] };
    });
    return { users, teams, boards };
  }

  /** Every API answer waits `latencyMs` plus up to `jitterMs` more. */
  setLatency(latencyMs: number, jitterMs = 0) {
    this.deps.faults.setLatency(latencyMs, jitterMs);
  }

  /** Rates (0–1) of 500s, 502s, dropped connections and calls never answered. */
  setFailureRates(rates: Partial<FailureRates>) {
    this.deps.faults.setFailureRates(rates);
  }

  /** The next `count` API answers get `status`; a forced 429 says `Retry-After: retryAfterSeconds` (1). */
  forceNext(status: ForcedStatus, count = 1, options: { retryAfterSeconds?: number } = {}) {
    this.deps.faults.forceNext(status, count, options);
  }

  /** Each user's credits per minute (Miro's default: 100,000). */
  setCreditsPerMinute(credits: number) {
    if (!Number.isInteger(credits) || credits < 0) throw new Error("creditsPerMinute must be a whole number >= 0");
    this.deps.limiter.setBudget(credits);
  }

  get faults(): FaultSettings & { creditsPerMinute: number } {
    return { ...this.deps.faults.settings, creditsPerMinute: this.deps.limiter.creditsPerMinute };
  }

  /** What Miro's API routes received, oldest first (credentials cut to their last 4 characters). */
  requests(): LoggedRequest[] {
    return this.deps.log.list();
  }

  clearRequests() {
    this.deps.log.clear();
  }

  /** An authorization code, as Miro's install redirect would carry it. */
  issueCode(userId: string, teamId: string): string {
    return this.deps.oauth.issueCode(userId, teamId);
  }

  /** Tokens for a user without the OAuth dance. */
  issueTokens(userId: string, teamId: string): TokenResponse {
    return this.deps.oauth.issueTokens(userId, teamId);
  }
}

/** `/_emulator/…`: the control API over HTTP. Errors are `{ error: { message } }` with 400. */
export function mountControlRoutes(router: Router, control: MiroControl) {
  const route =
    (run: (body: Record<string, unknown>, req: EmulatorRequest) => unknown, status = 200) =>
    (req: EmulatorRequest): EmulatorReply => {
      try {
        const body = req.body.length > 0 ? req.json<Record<string, unknown>>() : {};
        if (body === undefined || typeof body !== "object" || body === null || Array.isArray(body)) {
          throw new Error("Body must be a JSON object");
        }
        const result = run(body, req);
        return result === undefined ? { status: 204 } : { status, body: result };
      } catch (error) {
        return { status: 400, body: { error: { message: error instanceof Error ? error.message : String(error) } } };
      }
    };

  router.post(
    "/_emulator/reset",
    route((body) => {
      control.reset({ seed: body.seed !== false });
    }),
  );
  router.post(
    "/_emulator/seed",
    route((body) => control.seed(body as WorldSeed), 201),
  );
  router.post(
    "/_emulator/latency",
    route((body) => {
      control.setLatency(numberOr(body.latencyMs, 0), numberOr(body.jitterMs, 0));
      return control.faults;
    }),
  );
  router.post(
    "/_emulator/failures",
    route((body) => {
      control.setFailureRates(body as Partial<FailureRates>);
      return control.faults;
    }),
  );
  router.post(
    "/_emulator/force",
    route((body) => {
      const retryAfterSeconds = body.retryAfterSeconds === undefined ? undefined : numberOr(body.retryAfterSeconds, 1);
      control.forceNext(numberOr(body.status, 0) as ForcedStatus, numberOr(body.count, 1), { retryAfterSeconds });
      return control.faults;
    }),
  );
  router.post(
    "/_emulator/credits",
    route((body) => {
      control.setCreditsPerMinute(numberOr(body.creditsPerMinute, Number.NaN));
      return control.faults;
    }),
  );
  router.get(
    "/_emulator/faults",
    route(() => control.faults),
  );
  router.get(
    "/_emulator/requests",
    route(() => control.requests()),
  );
  router.delete(
    "/_emulator/requests",
    route(() => {
      control.clearRequests();
    }),
  );
  router.post(
    "/_emulator/codes",
    route((body) => ({ code: control.issueCode(String(body.userId), String(body.teamId)) }), 201),
  );
  router.post(
    "/_emulator/tokens",
    route((body) => control.issueTokens(String(body.userId), String(body.teamId)), 201),
  );
}

function numberOr(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value))
    throw new Error(`Expected a number, got ${JSON.stringify(value)}`);
  return value;
}

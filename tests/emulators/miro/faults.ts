import type { EmulatorRequest, Middleware } from "../shared/router";
import type { Clock } from "./clock";
import { MiroHttpError, miroErrors } from "./errors";

/**
 * Switches that make the emulated Miro misbehave the way a remote service does: slow answers
 * (latency + jitter), random 500s and 502s, connections dropped mid-request (the socket is
 * destroyed: the client sees a network error), requests never answered (the client's timeout is
 * the only way out), and the next N answers forced to a status (409, 429, 500, 502). They apply
 * to Miro's API routes (/v1, /v2), never to the control API or the sandbox board.
 */

export type ForcedStatus = 409 | 429 | 500 | 502;

export type FailureRates = {
  /** Probability (0–1) that a call is answered 500. */
  status500: number;
  status502: number;
  /** Probability that the connection is destroyed without an answer. */
  drop: number;
  /** Probability that the call is never answered. */
  timeout: number;
};

export type FaultSettings = {
  latencyMs: number;
  jitterMs: number;
  failureRates: FailureRates;
  forced: { status: ForcedStatus; remaining: number; retryAfterSeconds: number }[];
};

/** What a faulted call became, for the request log. */
export type FaultOutcome = "dropped" | "timeout";

export const NO_FAILURES: FailureRates = { status500: 0, status502: 0, drop: 0, timeout: 0 };

export class MiroFaults {
  latencyMs = 0;
  jitterMs = 0;
  failureRates: FailureRates = { ...NO_FAILURES };
  private forced: FaultSettings["forced"] = [];

  constructor(private readonly random: () => number = Math.random) {}

  setLatency(latencyMs: number, jitterMs = 0) {
    this.latencyMs = Math.max(0, latencyMs);
    this.jitterMs = Math.max(0, jitterMs);
  }

  setFailureRates(rates: Partial<FailureRates>) {
    for (const [key, value] of Object.entries(rates)) {
      if (!(key in NO_FAILURES)) throw new Error(`Unknown failure kind ${key}`);
      if (typeof value !== "number" || value < 0 || value > 1) throw new Error(`${key} must be a rate between 0 and 1`);
    }
    this.failureRates = { ...this.failureRates, ...rates };
  }

  /** The next `count` API answers get `status` (in order, after any earlier forced ones). */
  forceNext(status: ForcedStatus, count = 1, options: { retryAfterSeconds?: number } = {}) {
    if (![409, 429, 500, 502].includes(status)) throw new Error(`Can't force status ${status}`);
    this.forced.push({ status, remaining: count, retryAfterSeconds: options.retryAfterSeconds ?? 1 });
  }

  get settings(): FaultSettings {
    return {
      latencyMs: this.latencyMs,
      jitterMs: this.jitterMs,
      failureRates: { ...this.failureRates },
      forced: this.forced.map((f) => ({ ...f })),
    };
  }

  reset() {
    this.latencyMs = 0;
    this.jitterMs = 0;
    this.failureRates = { ...NO_FAILURES };
    this.forced = [];
  }

  delayMs() {
    return this.latencyMs + (this.jitterMs > 0 ? Math.round(this.random() * this.jitterMs) : 0);
  }

  /** Decides this call's fate: nothing, a forced or random status, a drop or a hang. */
  draw(): { status: ForcedStatus; retryAfterSeconds?: number } | FaultOutcome | undefined {
    const forced = this.forced[0];
    if (forced) {
      forced.remaining -= 1;
      if (forced.remaining <= 0) this.forced.shift();
      return { status: forced.status, retryAfterSeconds: forced.retryAfterSeconds };
    }
    const { status500, status502, drop, timeout } = this.failureRates;
    if (status500 + status502 + drop + timeout === 0) return undefined;
    // One draw across the kinds, so the rates add up as written (0.5 + 0.5 means every call fails).
    let roll = this.random();
    for (const [rate, fate] of [
      [drop, "dropped"],
      [timeout, "timeout"],
      [status500, 500],
      [status502, 502],
    ] as const) {
      if (roll < rate) return typeof fate === "number" ? { status: fate } : fate;
      roll -= rate;
    }
    return undefined;
  }
}

export function isApiPath(path: string) {
  return path.startsWith("/v1/") || path.startsWith("/v2/");
}

type FaultDeps = {
  faults: MiroFaults;
  clock: Clock;
  /** X-RateLimit-* for the caller, when the request names a valid token (v2 answers carry them always). */
  rateHeaders(req: EmulatorRequest): Record<string, string>;
  /** Tells the request log what became of a call that got no answer. */
  onOutcome(req: EmulatorRequest, outcome: FaultOutcome): void;
};

export function faultMiddleware({ faults, clock, rateHeaders, onOutcome }: FaultDeps): Middleware {
  return async (req, res) => {
    if (!isApiPath(req.path)) return undefined;
    const delay = faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fate = faults.draw();
    if (!fate) return undefined;
    if (fate === "dropped" || fate === "timeout") {
      onOutcome(req, fate);
      if (fate === "dropped") res.socket?.destroy();
      // Resolving would let the router run the route; this call is over for the server. The
      // pending promise holds nothing once the socket closes and is collected with it.
      return new Promise<undefined>(() => {});
    }
    const headers = req.path.startsWith("/v2/") ? rateHeaders(req) : {};
    const error = forcedError(fate.status, fate.retryAfterSeconds ?? 1, clock, headers);
    return error.toReply();
  };
}

function forcedError(status: ForcedStatus, retryAfterSeconds: number, clock: Clock, headers: Record<string, string>) {
  switch (status) {
    case 409:
      return withHeaders(miroErrors.conflict(), headers);
    case 429: {
      const resetAt = Math.ceil(clock.now() / 1000) + retryAfterSeconds;
      return miroErrors.tooManyRequests({
        ...headers,
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(resetAt),
        "retry-after": String(retryAfterSeconds),
      });
    }
    case 500:
      return withHeaders(miroErrors.internal(), headers);
    case 502:
      return withHeaders(miroErrors.badGateway(), headers);
  }
}

function withHeaders(error: MiroHttpError, headers: Record<string, string>) {
  return new MiroHttpError(error.status, error.code, error.message, error.context, { ...headers, ...error.headers });
}

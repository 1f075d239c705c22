import type { Clock } from "./clock";

/**
 * Miro's REST rate limit (https://developers.miro.com/reference/rate-limiting): every user of every
 * app has a budget of credits per minute (100,000 by default) and each call costs the credits of
 * its method's level. Every response carries X-RateLimit-Limit (the budget), X-RateLimit-Remaining
 * and X-RateLimit-Reset (UNIX seconds when the budget refills); a call the budget can't pay for is
 * answered 429 with Retry-After. The emulator counts in a fixed one-minute window per user that
 * opens with the user's first call.
 */

export const CREDITS_PER_LEVEL = { 1: 50, 2: 100, 3: 500, 4: 2000 } as const;
export type RateLimitLevel = keyof typeof CREDITS_PER_LEVEL;

/**
 * The level of each operation the emulator serves, as the spec's descriptions give it ("Rate
 * limiting … Level N"); rate-limit.test.ts reads the spec to hold this table to it.
 */
export const OPERATION_LEVELS = {
  "POST /v2/boards/{board_id}/app_cards": 2,
  "GET /v2/boards/{board_id}/app_cards/{item_id}": 1,
  "PATCH /v2/boards/{board_id}/app_cards/{item_id}": 2,
  "DELETE /v2/boards/{board_id}/app_cards/{item_id}": 3,
  "GET /v2/boards/{board_id}/items": 2,
} as const satisfies Record<string, RateLimitLevel>;

export type RatedOperation = keyof typeof OPERATION_LEVELS;

export const DEFAULT_CREDITS_PER_MINUTE = 100_000;
export const WINDOW_MS = 60_000;

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the window closes (epoch ms). */
  resetAt: number;
  /** The X-RateLimit-* headers (and Retry-After when refused). */
  headers: Record<string, string>;
};

type Window = { startedAt: number; used: number };

export class CreditLimiter {
  private windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private budget = DEFAULT_CREDITS_PER_MINUTE,
  ) {}

  get creditsPerMinute() {
    return this.budget;
  }

  /** Takes effect at once, for windows already open too. */
  setBudget(creditsPerMinute: number) {
    this.budget = creditsPerMinute;
  }

  /** Spends `credits` of the user's budget, or refuses the call when they don't remain. */
  charge(userId: string, credits: number): RateLimitDecision {
    const window = this.currentWindow(userId);
    const allowed = window.used + credits <= this.budget;
    if (allowed) window.used += credits;
    return this.decision(window, allowed);
  }

  /** The user's standing without spending anything (for answers that bypass the limiter). */
  peek(userId: string): RateLimitDecision {
    return this.decision(this.currentWindow(userId), true);
  }

  reset() {
    this.windows.clear();
  }

  private currentWindow(userId: string): Window {
    const now = this.clock.now();
    let window = this.windows.get(userId);
    if (!window || now >= window.startedAt + WINDOW_MS) {
      window = { startedAt: now, used: 0 };
      this.windows.set(userId, window);
    }
    return window;
  }

  private decision(window: Window, allowed: boolean): RateLimitDecision {
    const resetAt = window.startedAt + WINDOW_MS;
    const remaining = Math.max(0, this.budget - window.used);
    const headers: Record<string, string> = {
      "x-ratelimit-limit": String(this.budget),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(Math.ceil(resetAt / 1000)),
    };
    if (!allowed) headers["retry-after"] = String(retryAfterSeconds(resetAt, this.clock.now()));
    return { allowed, limit: this.budget, remaining, resetAt, headers };
  }
}

export function retryAfterSeconds(resetAt: number, now: number) {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

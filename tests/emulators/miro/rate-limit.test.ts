import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "./clock";
import type { TokenResponse } from "./oauth";
import { miroRateLimitLevel } from "./openapi";
import { CREDITS_PER_LEVEL, OPERATION_LEVELS, WINDOW_MS } from "./rate-limit";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { type AppCard, call, expectTrafficToMatchSpec, install, startTestEmulator } from "./testing";

/** Miro's per-user credit budget (rate-limit.ts), with a clock the test moves. */

const cards = `/v2/boards/${SEED.sprintBoard.id}/app_cards`;
const items = `/v2/boards/${SEED.sprintBoard.id}/items`;

describe("the emulator's rate-limit levels", () => {
  it("are the levels the spec gives each operation", () => {
    for (const [operation, level] of Object.entries(OPERATION_LEVELS)) {
      const [method = "", template = ""] = operation.split(" ");
      expect(miroRateLimitLevel(method, template), operation).toBe(level);
    }
    // App card create and update are level 2 (100 credits), as DESIGN.md counts them.
    expect(CREDITS_PER_LEVEL[OPERATION_LEVELS["PATCH /v2/boards/{board_id}/app_cards/{item_id}"]]).toBe(100);
  });
});

describe("credit rate limits", () => {
  let emulator: MiroEmulator;
  let clock: FakeClock;
  let alice: TokenResponse;

  beforeEach(async () => {
    clock = new FakeClock(Date.parse("2026-01-05T09:00:00.250Z"));
    emulator = await startTestEmulator({ clock, creditsPerMinute: 1000 });
    alice = await install(emulator);
  });
  afterEach(async () => {
    expectTrafficToMatchSpec(emulator);
    await emulator.close();
  });

  it("puts X-RateLimit-* on every v2 answer and takes each operation's credits", async () => {
    const token = alice.access_token;
    const created = await call<AppCard>(emulator, "POST", cards, { token, json: { data: { title: "x" } } });
    expect(created.headers.get("x-ratelimit-limit")).toBe("1000");
    expect(created.headers.get("x-ratelimit-remaining")).toBe("900"); // level 2: 100
    const resetAt = Number(created.headers.get("x-ratelimit-reset"));
    expect(resetAt).toBe(Math.ceil((clock.now() + WINDOW_MS) / 1000));

    const read = await call(emulator, "GET", `${cards}/${created.body.id}`, { token });
    expect(read.headers.get("x-ratelimit-remaining")).toBe("850"); // level 1: 50
    const listed = await call(emulator, "GET", items, { token });
    expect(listed.headers.get("x-ratelimit-remaining")).toBe("750"); // level 2: 100
    const deleted = await call(emulator, "DELETE", `${cards}/${created.body.id}`, { token });
    expect(deleted.headers.get("x-ratelimit-remaining")).toBe("250"); // level 3: 500
    // Errors count too, and carry the headers.
    const missing = await call(emulator, "GET", `${cards}/${created.body.id}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-ratelimit-remaining")).toBe("200");
  });

  it("answers 429 with Retry-After once the budget is spent, and refills after the window", async () => {
    const token = alice.access_token;
    for (let i = 0; i < 10; i++) {
      expect((await call(emulator, "GET", items, { token })).status).toBe(200);
    }
    clock.advance(20_000);
    const refused = await call(emulator, "GET", items, { token });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ status: 429, code: "tooManyRequests", message: expect.any(String), type: "error" });
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");

    // A cheaper call that still fits goes through? Nothing fits in 0 credits.
    expect((await call(emulator, "GET", `${cards}/${SEED.stickies.loginBug}`, { token })).status).toBe(429);

    clock.advance(40_000);
    const after = await call(emulator, "GET", items, { token });
    expect(after.status).toBe(200);
    expect(after.headers.get("x-ratelimit-remaining")).toBe("900");
  });

  it("counts per user: Bob has his own budget", async () => {
    const bob = await install(emulator, SEED.bob.id);
    for (let i = 0; i < 10; i++) await call(emulator, "GET", items, { token: alice.access_token });
    expect((await call(emulator, "GET", items, { token: alice.access_token })).status).toBe(429);
    const bobs = await call(emulator, "GET", items, { token: bob.access_token });
    expect(bobs.status).toBe(200);
    expect(bobs.headers.get("x-ratelimit-remaining")).toBe("900");
  });

  it("shares one budget across a user's tokens (it is per user, not per token)", async () => {
    const second = await install(emulator);
    await call(emulator, "GET", items, { token: alice.access_token });
    const other = await call(emulator, "GET", items, { token: second.access_token });
    expect(other.headers.get("x-ratelimit-remaining")).toBe("800");
  });

  it("takes a new budget from the control API at once", async () => {
    emulator.control.setCreditsPerMinute(100);
    expect((await call(emulator, "GET", items, { token: alice.access_token })).status).toBe(200);
    const refused = await call(emulator, "GET", items, { token: alice.access_token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-ratelimit-limit")).toBe("100");
  });

  it("defaults to Miro's 100,000 credits per minute", async () => {
    const fresh = await startTestEmulator();
    try {
      const tokens = await install(fresh);
      const listed = await call(fresh, "GET", items, { token: tokens.access_token });
      expect(listed.headers.get("x-ratelimit-limit")).toBe("100000");
      expect(listed.headers.get("x-ratelimit-remaining")).toBe("99900");
    } finally {
      await fresh.close();
    }
  });
});

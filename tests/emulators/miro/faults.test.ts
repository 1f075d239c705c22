import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TokenResponse } from "./oauth";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { call, expectTrafficToMatchSpec, install, startTestEmulator } from "./testing";

/** Injected latency and failures (faults.ts), as a client sees them over a real socket. */

const items = `/v2/boards/${SEED.sprintBoard.id}/items`;
const cards = `/v2/boards/${SEED.sprintBoard.id}/app_cards`;

describe("fault injection", () => {
  let emulator: MiroEmulator;
  let alice: TokenResponse;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  beforeEach(async () => {
    emulator.control.reset();
    alice = await install(emulator);
  });
  afterEach(() => expectTrafficToMatchSpec(emulator));
  afterAll(() => emulator.close());

  it("delays answers by the latency (plus jitter)", async () => {
    emulator.control.setLatency(150, 50);
    const started = performance.now();
    expect((await call(emulator, "GET", items, { token: alice.access_token })).status).toBe(200);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1000);
  });

  it("answers 500 in Miro's shape at rate 1, and nothing changes", async () => {
    emulator.control.setFailureRates({ status500: 1 });
    const failed = await call(emulator, "POST", cards, { token: alice.access_token, json: { data: { title: "x" } } });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ status: 500, type: "error" });
    // v2 answers keep their rate-limit headers, even faulted.
    expect(failed.headers.get("x-ratelimit-limit")).toBe("100000");
    expect(emulator.state.listItems(SEED.sprintBoard.id, "app_card")).toEqual([]);
  });

  it("answers 502 at rate 1", async () => {
    emulator.control.setFailureRates({ status502: 1 });
    expect((await call(emulator, "GET", items, { token: alice.access_token })).status).toBe(502);
  });

  it("drops the connection: the client gets a network error, not an answer", async () => {
    emulator.control.setFailureRates({ drop: 1 });
    await expect(
      fetch(`${emulator.url}${items}`, { headers: { authorization: `Bearer ${alice.access_token}` } }),
    ).rejects.toThrow(/fetch failed/);
    const [logged] = emulator.control.requests().slice(-1);
    expect(logged).toMatchObject({ path: items, status: null, outcome: "dropped" });
  });

  it("never answers a timed-out call: only the client's own timeout ends it", async () => {
    emulator.control.setFailureRates({ timeout: 1 });
    const started = performance.now();
    await expect(
      fetch(`${emulator.url}${items}`, {
        headers: { authorization: `Bearer ${alice.access_token}` },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow(/aborted|timeout/i);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.control.requests().slice(-1)[0]).toMatchObject({ status: null, outcome: "timeout" });
  });

  it("forces the next N answers to 429 with Retry-After, then serves normally", async () => {
    emulator.control.forceNext(429, 2, { retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const limited = await call(emulator, "GET", items, { token: alice.access_token });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe("tooManyRequests");
      expect(limited.headers.get("retry-after")).toBe("3");
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    }
    expect((await call(emulator, "GET", items, { token: alice.access_token })).status).toBe(200);
  });

  it("forces a 409 on an update", async () => {
    const card = await call<{ id: string }>(emulator, "POST", cards, {
      token: alice.access_token,
      json: { data: { title: "x" } },
    });
    emulator.control.forceNext(409);
    const conflict = await call(emulator, "PATCH", `${cards}/${card.body.id}`, {
      token: alice.access_token,
      json: { data: { title: "y" } },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ status: 409, code: "conflict", type: "error" });
    expect(emulator.state.getItem(SEED.sprintBoard.id, card.body.id)?.data.title).toBe("x");
  });

  it("mixes rates as written: half 500s, half served", async () => {
    const rolls = [0.1, 0.7, 0.3, 0.9];
    const seeded = await startTestEmulator({ random: () => rolls.shift() ?? 0.99 });
    try {
      const tokens = await install(seeded);
      seeded.control.setFailureRates({ status500: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await call(seeded, "GET", items, { token: tokens.access_token })).status);
      expect(statuses).toEqual([500, 200, 500, 200]);
    } finally {
      await seeded.close();
    }
  });

  it("leaves the control API alone", async () => {
    emulator.control.setFailureRates({ status500: 1 });
    const response = await fetch(`${emulator.url}/_emulator/faults`);
    expect(response.status).toBe(200);
  });

  it("refuses rates outside 0–1", () => {
    expect(() => emulator.control.setFailureRates({ status500: 2 })).toThrow();
  });
});

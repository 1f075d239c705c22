import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LoggedRequest } from "./request-log";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { MiroState } from "./state";
import { call, install, startTestEmulator, TEST_APP } from "./testing";

/** The control API over HTTP (`/_emulator/…`) and in process, and the request log. */

const items = `/v2/boards/${SEED.sprintBoard.id}/items`;

async function control(emulator: MiroEmulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("control API", () => {
  let emulator: MiroEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  beforeEach(() => emulator.control.reset());
  afterAll(() => emulator.close());

  it("seeds the SEED world by default", () => {
    expect(emulator.state.users.get(SEED.alice.id)?.name).toBe("Alice Andersen");
    expect(emulator.state.users.get(SEED.bob.id)?.name).toBe("Bob Baker");
    expect(emulator.state.teams.get(SEED.team.id)?.name).toBe("Acme");
    expect(emulator.state.canAccess(SEED.bob.id, SEED.sprintBoard.id)).toBe(true);
    expect(emulator.state.canAccess(SEED.bob.id, SEED.aliceBoard.id)).toBe(false);
    expect(emulator.state.listItems(SEED.sprintBoard.id, "sticky_note").map((i) => i.id)).toEqual([
      SEED.stickies.loginBug,
      SEED.stickies.darkMode,
    ]);
  });

  it("resets over HTTP: items, tokens and faults go; the state object stays, and announces deletions", async () => {
    const tokens = await install(emulator);
    const card = emulator.state.createItem(SEED.sprintBoard.id, SEED.alice.id, {
      type: "app_card",
      data: {},
      style: {},
    });
    emulator.control.setLatency(10);
    const stateBefore = emulator.state;
    const deleted: string[] = [];
    const stop = emulator.state.onChange((change) => change.kind === "deleted" && deleted.push(change.item.id));

    expect((await control(emulator, "POST", "reset")).status).toBe(204);
    stop();
    expect(emulator.state).toBe(stateBefore);
    expect(deleted).toContain(card.id);
    expect(emulator.state.getItem(SEED.sprintBoard.id, card.id)).toBeUndefined();
    expect(emulator.state.users.has(SEED.alice.id)).toBe(true); // reseeded
    expect(emulator.control.faults.latencyMs).toBe(0);
    expect((await call(emulator, "GET", items, { token: tokens.access_token })).status).toBe(401);
  });

  it("resets to an empty world with seed: false", async () => {
    await control(emulator, "POST", "reset", { seed: false });
    expect(emulator.state.users.size).toBe(0);
    expect(emulator.state.boards.size).toBe(0);
  });

  it("seeds users, teams and boards, then installs for them", async () => {
    const seeded = await control(emulator, "POST", "seed", {
      users: [{ id: "3458764500000000901", name: "Carol Chen" }],
      teams: [{ id: "3458764500000000902", name: "Initech", memberIds: ["3458764500000000901"] }],
      boards: [{ name: "Initech board", teamId: "3458764500000000902", memberIds: ["3458764500000000901"] }],
    });
    expect(seeded.status).toBe(201);
    const board = seeded.body.boards[0];
    expect(board.id).toMatch(/^uXjV.{7}=$/);
    const code = await control(emulator, "POST", "codes", {
      userId: "3458764500000000901",
      teamId: "3458764500000000902",
    });
    const tokens = await call<{ access_token: string }>(emulator, "POST", "/v1/oauth/token", {
      form: {
        grant_type: "authorization_code",
        code: code.body.code,
        client_id: TEST_APP.clientId,
        client_secret: TEST_APP.clientSecret,
        redirect_uri: TEST_APP.redirectUri,
      },
    });
    expect(
      (await call(emulator, "GET", `/v2/boards/${board.id}/items`, { token: tokens.body.access_token })).status,
    ).toBe(200);

    const bad = await control(emulator, "POST", "seed", { boards: [{ name: "x", teamId: "nope", memberIds: [] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/No team/);
  });

  it("issues tokens directly", async () => {
    const tokens = await control(emulator, "POST", "tokens", { userId: SEED.bob.id, teamId: SEED.team.id });
    expect(tokens.status).toBe(201);
    expect((await call(emulator, "GET", items, { token: tokens.body.access_token })).status).toBe(200);
  });

  it("sets latency, failure rates, forced statuses and the credit budget over HTTP", async () => {
    const tokens = await install(emulator);
    await control(emulator, "POST", "latency", { latencyMs: 5, jitterMs: 5 });
    await control(emulator, "POST", "failures", { status502: 0.25 });
    await control(emulator, "POST", "force", { status: 429, count: 1, retryAfterSeconds: 7 });
    await control(emulator, "POST", "credits", { creditsPerMinute: 5000 });
    const faults = await control(emulator, "GET", "faults");
    expect(faults.body).toEqual({
      latencyMs: 5,
      jitterMs: 5,
      failureRates: { status500: 0, status502: 0.25, drop: 0, timeout: 0 },
      forced: [{ status: 429, remaining: 1, retryAfterSeconds: 7 }],
      creditsPerMinute: 5000,
    });
    await control(emulator, "POST", "failures", { status502: 0 });
    const limited = await call(emulator, "GET", items, { token: tokens.access_token });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"]);
    const served = await call(emulator, "GET", items, { token: tokens.access_token });
    expect(served.headers.get("x-ratelimit-limit")).toBe("5000");

    expect((await control(emulator, "POST", "force", { status: 418 })).status).toBe(400);
    expect((await control(emulator, "POST", "failures", { teapot: 1 })).status).toBe(400);
    expect((await control(emulator, "POST", "credits", { creditsPerMinute: "lots" })).status).toBe(400);
  });

  it("logs what the API received, with credentials cut to their last 4 characters", async () => {
    const tokens = await install(emulator);
    await call(emulator, "POST", `/v2/boards/${SEED.sprintBoard.id}/app_cards`, {
      token: tokens.access_token,
      json: { data: { title: "Logged" } },
    });
    const { body } = await control(emulator, "GET", "requests");
    const [exchange, create] = body as LoggedRequest[];
    expect(exchange).toMatchObject({
      method: "POST",
      path: "/v1/oauth/token",
      status: 200,
      outcome: "answered",
      body: {
        grant_type: "authorization_code",
        client_id: TEST_APP.clientId,
        client_secret: `…${TEST_APP.clientSecret.slice(-4)}`,
      },
      response: { access_token: `…${tokens.access_token.slice(-4)}`, user_id: SEED.alice.id },
    });
    expect(exchange?.body).toMatchObject({ code: expect.stringMatching(/^….{4}$/) });
    expect(create).toMatchObject({
      method: "POST",
      path: `/v2/boards/${SEED.sprintBoard.id}/app_cards`,
      body: { data: { title: "Logged" } },
      status: 201,
      response: { type: "app_card", data: { title: "Logged" } },
    });
    expect(create?.headers.authorization).toBe(`Bearer …${tokens.access_token.slice(-4)}`);
    expect(JSON.stringify(body)).not.toContain(tokens.access_token);
    expect(JSON.stringify(body)).not.toContain(TEST_APP.clientSecret);

    // Control calls and the board are not Miro's API: not logged.
    expect((body as LoggedRequest[]).every((entry) => !entry.path.startsWith("/_emulator"))).toBe(true);

    expect((await control(emulator, "DELETE", "requests")).status).toBe(204);
    expect((await control(emulator, "GET", "requests")).body).toEqual([]);
  });

  it("answers a malformed control body with 400", async () => {
    const response = await fetch(`${emulator.url}/_emulator/latency`, { method: "POST", body: "{" });
    expect(response.status).toBe(400);
  });
});

describe("startMiroEmulator options", () => {
  it("can start empty, on a given state, and serve the board's context", async () => {
    const state = new MiroState();
    const emulator = await startTestEmulator({ state, seed: false });
    try {
      expect(emulator.state).toBe(state);
      expect(state.users.size).toBe(0);
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.context.baseUrl()).toBe(emulator.url);
      expect(emulator.context.options).toMatchObject({ ...TEST_APP, expiringTokens: true, creditsPerMinute: 100_000 });
      expect(() => emulator.context.oauth.issueCode("nobody", "none")).toThrow(/no user/);
    } finally {
      await emulator.close();
    }
  });
});

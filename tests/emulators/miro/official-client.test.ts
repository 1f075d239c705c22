import { Board, Miro, MiroLowlevelApi } from "@mirohq/miro-api";
import type { State, Storage } from "@mirohq/miro-api/dist/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMiroTraffic } from "./openapi";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { startTestEmulator, TEST_APP } from "./testing";

/**
 * The official Node client (@mirohq/miro-api 2.2.4), unchanged, against the emulator: if Miro's
 * own client works with it, the emulator speaks Miro's contract. The client uses node-fetch, so
 * only a real server sees its calls.
 */

class MemoryStorage implements Storage {
  readonly states = new Map<string, State | undefined>();
  async get(userId: string | number) {
    return this.states.get(String(userId));
  }
  set(userId: string | number, state: State | undefined) {
    this.states.set(String(userId), state);
  }
}

/**
 * The client hard-codes https://api.miro.com for its token call; this override is its `getToken`
 * with the host taken from `basePath` (same query-string parameters, same storage update).
 */
class EmulatedMiro extends Miro {
  override async getToken(userId: string | number, params: Record<string, string>): Promise<string> {
    const tokenUrl = new URL("/v1/oauth/token", this.basePath);
    tokenUrl.search = new URLSearchParams(params).toString();
    const response = await fetch(tokenUrl, { method: "POST" });
    if (!response.ok) throw new Error(`Token request failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as {
      access_token: string;
      refresh_token?: string;
      expires_in?: number;
      user_id: string;
    };
    await this.storage.set(userId, {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      tokenExpiresAt: body.expires_in ? new Date(Date.now() + (body.expires_in - 120) * 1000).toISOString() : undefined,
      userId: body.user_id,
    });
    return body.access_token;
  }
}

describe("the official @mirohq/miro-api client against the emulator", () => {
  let emulator: MiroEmulator;
  let storage: MemoryStorage;
  let miro: EmulatedMiro;
  const userKey = "alice";

  beforeAll(async () => {
    emulator = await startTestEmulator();
    storage = new MemoryStorage();
    miro = new EmulatedMiro({
      clientId: TEST_APP.clientId,
      clientSecret: TEST_APP.clientSecret,
      redirectUrl: TEST_APP.redirectUri,
      basePath: emulator.url,
      storage,
    });
  });
  afterAll(() => emulator.close());

  it("installs, then creates, reads, updates, lists and deletes an app card", async () => {
    const code = emulator.context.oauth.issueCode(SEED.alice.id, SEED.team.id);
    await miro.exchangeCodeForAccessToken(userKey, `${TEST_APP.redirectUri}?code=${code}&team_id=${SEED.team.id}`);
    expect(await miro.isAuthorized(userKey)).toBe(true);
    expect(storage.states.get(userKey)?.userId).toBe(SEED.alice.id);

    const api = new MiroLowlevelApi(() => miro.getAccessToken(userKey), emulator.url);
    const info = await api.tokenInfo();
    expect(info.body.user?.id).toBe(SEED.alice.id);
    expect(info.body.team?.name).toBe("Acme");

    const board = new Board(api, SEED.sprintBoard.id, {});
    const card = await board.createAppCardItem({
      data: {
        title: "Login fails on Safari",
        description: "<p>Steps to reproduce…</p>",
        status: "connected",
        fields: [{ value: "acme/web#42", tooltip: "Issue", fillColor: "#e6f4ea", textColor: "#1a7f37" }],
      },
      style: { fillColor: "#1a7f37" },
      position: { x: 100, y: 50 },
    });
    expect(card.id).toMatch(/^\d{19}$/);
    expect(card.data?.owned).toBe(true);
    expect(emulator.state.getItem(SEED.sprintBoard.id, card.id)?.data.title).toBe("Login fails on Safari");

    const read = await board.getAppCardItem(card.id);
    expect(read.data?.fields?.[0]?.value).toBe("acme/web#42");
    expect(read.style?.fillColor).toBe("#1a7f37");
    expect(read.position?.x).toBe(100);

    await read.update({
      data: { title: "Login fails on Safari 17", status: "disabled" },
      style: { fillColor: "#8250df" },
    });
    const updated = emulator.state.getItem(SEED.sprintBoard.id, card.id);
    expect(updated?.data).toMatchObject({ title: "Login fails on Safari 17", status: "disabled" });
    expect(updated?.style.fillColor).toBe("#8250df");

    const appCards: string[] = [];
    for await (const item of board.getAllItems({ type: "app_card" })) appCards.push(item.id);
    expect(appCards).toEqual([card.id]);

    await read.delete();
    expect(emulator.state.getItem(SEED.sprintBoard.id, card.id)).toBeUndefined();
    await expect(board.getAppCardItem(card.id)).rejects.toMatchObject({ statusCode: 404, body: { code: "notFound" } });
  });

  it("pages through many items with the client's cursor iterator", async () => {
    const api = new MiroLowlevelApi(() => miro.getAccessToken(userKey), emulator.url);
    const board = new Board(api, SEED.sprintBoard.id, {});
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push((await board.createAppCardItem({ data: { title: `Card ${i}` } })).id);
    const seen: string[] = [];
    for await (const item of board.getAllItems({ type: "app_card", limit: "10" })) seen.push(item.id);
    expect(seen).toEqual(created);
    for (const id of created) await (await board.getAppCardItem(id)).delete();
  });

  it("refreshes an expired token, and the old pair stops working", async () => {
    const before = storage.states.get(userKey);
    if (!before) throw new Error("not installed");
    // The client refreshes once its stored expiry has passed.
    storage.set(userKey, { ...before, tokenExpiresAt: new Date(Date.now() - 1000).toISOString() });
    const api = new MiroLowlevelApi(() => miro.getAccessToken(userKey), emulator.url);
    const info = await api.tokenInfo();
    expect(info.body.user?.id).toBe(SEED.alice.id);

    const after = storage.states.get(userKey);
    expect(after?.accessToken).not.toBe(before.accessToken);
    expect(after?.refreshToken).not.toBe(before.refreshToken);

    const stale = new MiroLowlevelApi(before.accessToken, emulator.url);
    await expect(stale.getItems(SEED.sprintBoard.id)).rejects.toMatchObject({ statusCode: 401 });
    await expect(
      miro.getToken("again", {
        grant_type: "refresh_token",
        refresh_token: before.refreshToken ?? "",
        client_id: TEST_APP.clientId,
        client_secret: TEST_APP.clientSecret,
      }),
    ).rejects.toThrow(/400/);
  });

  it("revokes a token (v2) so it no longer works", async () => {
    const state = storage.states.get(userKey);
    if (!state) throw new Error("not installed");
    const api = new MiroLowlevelApi(state.accessToken, emulator.url);
    const revoked = await api.revokeTokenV2({
      accessToken: state.accessToken,
      clientId: TEST_APP.clientId,
      clientSecret: TEST_APP.clientSecret,
    });
    expect(revoked.response.status).toBe(204);
    await expect(api.getItems(SEED.sprintBoard.id)).rejects.toMatchObject({ statusCode: 401 });
  });

  it("sent and received only what Miro's spec describes, but for the client's own token calls", () => {
    const problems = checkMiroTraffic(emulator.control.requests());
    // The client puts grant, code and client secret in the token call's query string; Miro
    // recommends the form body, and so does the validator (DESIGN.md: never the query).
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^POST \/v1\/oauth\/token request:/);
  });
});

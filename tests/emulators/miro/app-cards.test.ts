import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TokenResponse } from "./oauth";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { type AppCard, call, expectTrafficToMatchSpec, install, type ItemsPage, startTestEmulator } from "./testing";

/**
 * App cards and the board's item list over REST, each answer held to Miro's spec by `call`:
 * create/get/update/delete, their 400s and 404s, board access, and cursor pages.
 */

const cards = `/v2/boards/${SEED.sprintBoard.id}/app_cards`;
const items = `/v2/boards/${SEED.sprintBoard.id}/items`;

describe("app cards over REST", () => {
  let emulator: MiroEmulator;
  let alice: TokenResponse;
  let bob: TokenResponse;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  beforeEach(async () => {
    emulator.control.reset();
    alice = await install(emulator, SEED.alice.id);
    bob = await install(emulator, SEED.bob.id);
  });
  afterEach(() => expectTrafficToMatchSpec(emulator));
  afterAll(() => emulator.close());

  async function createCard(json: unknown = { data: { title: "A card" } }) {
    const created = await call<AppCard>(emulator, "POST", cards, { token: alice.access_token, json });
    expect(created.status).toBe(201);
    return created.body;
  }

  it("creates a card with the spec's defaults and answers with an AppCardItem", async () => {
    const card = await createCard({ data: { title: "Fix login" } });
    expect(card).toMatchObject({
      type: "app_card",
      data: { title: "Fix login", status: "disconnected", owned: true },
      style: { fillColor: "#2d9bf0" },
      position: { x: 0, y: 0, origin: "center", relativeTo: "canvas_center" },
      createdBy: { id: SEED.alice.id, type: "user" },
    });
    expect(card.id).toMatch(/^\d{19}$/);
    expect(card.links.self).toBe(`${emulator.url}${cards}/${card.id}`);
    // The board sees it (the sandbox board listens to state changes).
    expect(emulator.state.getItem(SEED.sprintBoard.id, card.id)?.type).toBe("app_card");
  });

  it("reads, updates (merging data) and deletes a card", async () => {
    const card = await createCard({
      data: { title: "Fix login", description: "<p>Safari</p>", fields: [{ value: "acme/web#1" }] },
    });
    const read = await call<AppCard>(emulator, "GET", `${cards}/${card.id}`, { token: bob.access_token });
    expect(read.status).toBe(200);
    expect(read.body.data.owned).toBe(true);

    const updated = await call<AppCard>(emulator, "PATCH", `${cards}/${card.id}`, {
      token: bob.access_token,
      json: { data: { status: "connected" }, style: { fillColor: "#1a7f37" }, geometry: { width: 400 } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ title: "Fix login", description: "<p>Safari</p>", status: "connected" });
    expect(updated.body.style.fillColor).toBe("#1a7f37");
    expect(updated.body.geometry.width).toBe(400);
    expect(updated.body.modifiedBy.id).toBe(SEED.bob.id);

    const deleted = await call(emulator, "DELETE", `${cards}/${card.id}`, { token: alice.access_token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const gone = await call(emulator, "GET", `${cards}/${card.id}`, { token: alice.access_token });
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ status: 404, code: "notFound", message: expect.any(String), type: "error" });
    expect((await call(emulator, "DELETE", `${cards}/${card.id}`, { token: alice.access_token })).status).toBe(404);
  });

  it("says `owned: false` for a card another app made", async () => {
    const item = emulator.state.createItem(SEED.sprintBoard.id, SEED.alice.id, {
      type: "app_card",
      data: { title: "Someone else's" },
      style: {},
      appId: "3458764599999999999",
    });
    const read = await call<AppCard>(emulator, "GET", `${cards}/${item.id}`, { token: alice.access_token });
    expect(read.body.data.owned).toBe(false);
  });

  it("refuses bodies Miro would refuse, with its 400 and the fields at fault", async () => {
    const token = alice.access_token;
    const badJson = await call(emulator, "POST", cards, { token, raw: "{not json", invalidRequest: true });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ status: 400, code: "invalidParameters", type: "error" });

    const wrongType = await call(emulator, "POST", cards, {
      token,
      json: { data: { title: 42 } },
      invalidRequest: true,
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.context).toEqual({ fields: [{ field: "data.title", message: "must be string" }] });

    const badStatus = await call(emulator, "POST", cards, {
      token,
      json: { data: { status: "done" } },
      invalidRequest: true,
    });
    expect(badStatus.status).toBe(400);
    expect(JSON.stringify(badStatus.body.context)).toContain("data.status");

    // The Web SDK's name for the colour is not the REST API's.
    const sdkName = await call(emulator, "POST", cards, {
      token,
      json: { style: { cardTheme: "#fff000" } },
      invalidRequest: true,
    });
    expect(sdkName.status).toBe(400);
    expect(JSON.stringify(sdkName.body.context)).toContain("style.cardTheme");

    const badColour = await call(emulator, "POST", cards, { token, json: { style: { fillColor: "green" } } });
    expect(badColour.status).toBe(400);
    const httpIcon = await call(emulator, "POST", cards, {
      token,
      json: { data: { fields: [{ value: "x", iconUrl: "http://example.com/i.png" }] } },
    });
    expect(httpIcon.status).toBe(400);

    const noBody = await call(emulator, "POST", cards, { token, invalidRequest: true });
    expect(noBody.status).toBe(400);
    const array = await call(emulator, "POST", cards, { token, json: [], invalidRequest: true });
    expect(array.status).toBe(400);

    const card = await createCard();
    const badPatch = await call(emulator, "PATCH", `${cards}/${card.id}`, {
      token,
      json: { data: { fields: "nope" } },
      invalidRequest: true,
    });
    expect(badPatch.status).toBe(400);
    expect(emulator.state.getItem(SEED.sprintBoard.id, card.id)?.data.fields).toBeUndefined();
  });

  it("answers 404 for a sticky note asked for as an app card, and for unknown boards", async () => {
    const sticky = await call(emulator, "GET", `${cards}/${SEED.stickies.loginBug}`, { token: alice.access_token });
    expect(sticky.status).toBe(404);
    const noBoard = await call(emulator, "GET", "/v2/boards/uXjVNoSuch1=/items", { token: alice.access_token });
    expect(noBoard.status).toBe(404);
  });

  it("keeps Bob's token off Alice's board (404, as Miro hides boards you can't open)", async () => {
    const path = `/v2/boards/${SEED.aliceBoard.id}/app_cards`;
    const bobs = await call(emulator, "POST", path, { token: bob.access_token, json: { data: { title: "Sneaky" } } });
    expect(bobs.status).toBe(404);
    expect(bobs.body.code).toBe("notFound");
    const listed = await call(emulator, "GET", `/v2/boards/${SEED.aliceBoard.id}/items`, { token: bob.access_token });
    expect(listed.status).toBe(404);
    expect(emulator.state.listItems(SEED.aliceBoard.id, "app_card")).toEqual([]);

    const alices = await call(emulator, "POST", path, { token: alice.access_token, json: { data: { title: "Mine" } } });
    expect(alices.status).toBe(201);
  });

  it("keeps a token on its own team's boards", async () => {
    const other = emulator.control.seed({
      teams: [{ name: "Globex", memberIds: [SEED.alice.id] }],
    }).teams[0];
    if (!other) throw new Error("no team");
    const globexBoard = emulator.control.seed({
      boards: [{ name: "Globex board", teamId: other.id, memberIds: [SEED.alice.id] }],
    }).boards[0];
    const acmeToken = alice.access_token;
    const denied = await call(emulator, "GET", `/v2/boards/${globexBoard?.id}/items`, { token: acmeToken });
    expect(denied.status).toBe(404);
    const globexToken = await install(emulator, SEED.alice.id, other.id);
    const allowed = await call(emulator, "GET", `/v2/boards/${globexBoard?.id}/items`, {
      token: globexToken.access_token,
    });
    expect(allowed.status).toBe(200);
  });

  it("lists items in cursor pages of `limit`, filtered by type", async () => {
    const created: string[] = [];
    for (let i = 0; i < 25; i++) created.push((await createCard({ data: { title: `Card ${i}` } })).id);

    const all = await call<ItemsPage>(emulator, "GET", items, { token: alice.access_token });
    expect(all.body).toMatchObject({ total: 27, size: 10, limit: 10 }); // 25 cards + 2 seeded stickies
    expect(all.body.data[0]?.type).toBe("sticky_note");

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string> = { type: "app_card", limit: "10", ...(cursor ? { cursor } : {}) };
      const page = await call<ItemsPage>(emulator, "GET", items, { token: alice.access_token, query });
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(25);
      seen.push(...page.body.data.map((item) => item.id));
      cursor = page.body.cursor;
      if (cursor) expect(page.body.links.next).toContain(`cursor=${encodeURIComponent(cursor)}`);
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(created);

    const fifty = await call<ItemsPage>(emulator, "GET", items, { token: alice.access_token, query: { limit: "50" } });
    expect(fifty.body.size).toBe(27);
    expect(fifty.body.cursor).toBeUndefined();
  });

  it("refuses a limit outside 10–50, an unknown type and a cursor it never gave", async () => {
    const token = alice.access_token;
    const queries: Record<string, string>[] = [{ limit: "5" }, { limit: "51" }, { limit: "ten" }, { type: "widget" }, { cursor: "bogus" }];
    for (const query of queries) {
      const refused = await call(emulator, "GET", items, { token, query, invalidRequest: true });
      expect(refused.status, JSON.stringify(query)).toBe(400);
      expect(refused.body.code).toBe("invalidParameters");
    }
  });

  it("answers 405 for a method a route doesn't take", async () => {
    const response = await fetch(`${emulator.url}${cards}`, {
      method: "GET",
      headers: { authorization: `Bearer ${alice.access_token}` },
    });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ status: 405, type: "error" });
    emulator.control.clearRequests(); // GET …/app_cards is in no spec: the traffic check would flag it
  });
});

import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCardFromSdk, SdkInputError, stickyNoteFromSdk, toSdkItem } from "../sdk/item-mapping";
import { SDK_CHANNEL, type SdkRequest } from "../sdk/protocol";
import { SEED } from "../seed";
import type { MiroEmulator } from "../server";
import type { BoardItem } from "../state";
import { type AppCard, call, install, startTestEmulator, TEST_APP } from "../testing";

/**
 * The SDK stand-in: the script the emulator serves at /sdk/v2/miro.js, run here against a fake
 * board window; the mapping between REST's and the SDK's item shapes; and the item commands the
 * board forwards to the server, checked from the REST side.
 */

let emulator: MiroEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

const sprint = SEED.sprintBoard.id;
const BOARD_ORIGIN = "http://board.test";

type Posted = { message: SdkRequest; origin: string };

/** Runs the served script in a sandboxed "iframe" whose parent records what it is sent. */
async function loadSdk() {
  const response = await fetch(`${emulator.url}/sdk/v2/miro.js`);
  const source = await response.text();
  const posted: Posted[] = [];
  const listeners: ((event: unknown) => void)[] = [];
  const parent = { postMessage: (message: SdkRequest, origin: string) => posted.push({ message, origin }) };
  const window: Record<string, unknown> = {
    parent,
    location: { ancestorOrigins: [BOARD_ORIGIN] },
    addEventListener: (type: string, listener: (event: unknown) => void) => {
      if (type === "message") listeners.push(listener);
    },
  };
  window.window = window;
  const document = { currentScript: null, addEventListener() {}, body: { style: {} } };
  vm.runInNewContext(source, { window, document, console, setTimeout });
  const deliver = (data: unknown, from: { source?: unknown; origin?: string } = {}) => {
    for (const listener of listeners)
      listener({ source: from.source ?? parent, origin: from.origin ?? BOARD_ORIGIN, data });
  };
  /** Answers the last request the way the board would. */
  const answer = (result: unknown) => {
    const request = posted.at(-1)!.message;
    deliver({ channel: SDK_CHANNEL, kind: "response", id: request.id, ok: true, result });
  };
  // biome-ignore lint/suspicious/noExplicitAny: the script's own global, as an app sees it.
  return { response, source, miro: window.miro as any, posted, deliver, answer };
}

/** Lets the script's pending promise callbacks run. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the SDK script", () => {
  it("is served as JavaScript and gives the page window.miro with the SDK's names", async () => {
    const { response, source, miro } = await loadSdk();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(source).not.toContain(TEST_APP.clientSecret);
    for (const name of ["createAppCard", "createStickyNote", "get", "getById", "getSelection", "remove", "sync"]) {
      expect(typeof miro.board[name], name).toBe("function");
    }
    for (const name of ["getIdToken", "getUserInfo", "getInfo", "setMetadata", "getMetadata"]) {
      expect(typeof miro.board[name], name).toBe("function");
    }
    for (const name of [
      "openPanel",
      "closePanel",
      "openModal",
      "closeModal",
      "getModalData",
      "canOpenModal",
      "on",
      "off",
    ]) {
      expect(typeof miro.board.ui[name], name).toBe("function");
    }
    expect(typeof miro.board.notifications.showInfo).toBe("function");
    expect(typeof miro.board.viewport.zoomTo).toBe("function");
  });

  it("asks the board over postMessage and resolves with the board's answer, only from the board", async () => {
    const { miro, posted, deliver, answer } = await loadSdk();
    const user = miro.board.getUserInfo();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.origin).toBe(BOARD_ORIGIN);
    expect(posted[0]!.message).toMatchObject({ channel: SDK_CHANNEL, kind: "request", command: "board.getUserInfo" });

    const id = posted[0]!.message.id;
    const forged = { channel: SDK_CHANNEL, kind: "response", id, ok: true, result: { id: "0", name: "Mallory" } };
    deliver(forged, { origin: "http://evil.test" });
    deliver(forged, { source: {} });
    answer({ id: SEED.alice.id, name: SEED.alice.name });
    await expect(user).resolves.toEqual({ id: SEED.alice.id, name: SEED.alice.name });
  });

  it("rejects with the board's error message", async () => {
    const { miro, posted, deliver } = await loadSdk();
    const card = miro.board.getById("404");
    deliver({
      channel: SDK_CHANNEL,
      kind: "response",
      id: posted[0]!.message.id,
      ok: false,
      error: "Item 404 not found",
    });
    await expect(card).rejects.toThrow("Item 404 not found");
  });

  it("returns items with sync, getMetadata and setMetadata, sending only their data", async () => {
    const { miro, posted, answer } = await loadSdk();
    const creating = miro.board.createAppCard({ title: "Fix login", style: { cardTheme: "#1a7f37" } });
    expect(posted[0]!.message).toMatchObject({
      command: "board.createAppCard",
      payload: { style: { cardTheme: "#1a7f37" } },
    });
    answer({ id: "3458764500000009999", type: "app_card", title: "Fix login", style: { cardTheme: "#1a7f37" } });
    const card = await creating;

    card.title = "Fix login on Safari";
    const syncing = card.sync();
    expect(posted[1]!.message).toMatchObject({
      command: "board.sync",
      payload: { id: "3458764500000009999", title: "Fix login on Safari" },
    });
    answer({
      id: "3458764500000009999",
      type: "app_card",
      title: "Fix login on Safari",
      modifiedAt: "2026-01-01T00:00:00Z",
    });
    await syncing;
    expect(card.modifiedAt).toBe("2026-01-01T00:00:00Z");

    const setting = card.setMetadata("issue", { number: 7 });
    expect(posted[2]!.message).toMatchObject({
      command: "board.setMetadata",
      payload: { id: "3458764500000009999", key: "issue", value: { number: 7 } },
    });
    answer({ issue: { number: 7 } });
    await expect(setting).resolves.toEqual({ issue: { number: 7 } });
  });

  it("delivers board events to the handlers the app registered, with items it can sync", async () => {
    const { miro, posted, deliver, answer } = await loadSdk();
    const opened: unknown[] = [];
    const handler = (event: { appCard: { id: string; sync: unknown } }) => opened.push(event.appCard);
    const subscribing = miro.board.ui.on("app_card:open", handler);
    expect(posted[0]!.message).toMatchObject({ command: "ui.on", payload: { event: "app_card:open" } });
    answer(null);
    await subscribing;

    deliver({
      channel: SDK_CHANNEL,
      kind: "event",
      event: "app_card:open",
      data: { appCard: { id: "1", type: "app_card" } },
    });
    expect(opened).toHaveLength(1);
    expect(typeof (opened[0] as { sync: unknown }).sync).toBe("function");

    const leaving = miro.board.ui.off("app_card:open", handler);
    expect(posted[1]!.message).toMatchObject({ command: "ui.off", payload: { event: "app_card:open" } });
    answer(null);
    await leaving;
    deliver({ channel: SDK_CHANNEL, kind: "event", event: "app_card:open", data: { appCard: { id: "2" } } });
    expect(opened).toHaveLength(1);
  });

  it("opens a modal and waits for it to close with a value", async () => {
    const { miro, posted, answer } = await loadSdk();
    const opening = miro.board.ui.openModal({ url: "/modal", width: 480, data: { cardId: "1" } });
    expect(posted[0]!.message).toMatchObject({
      command: "ui.openModal",
      payload: { url: "/modal", data: { cardId: "1" } },
    });
    answer({ handle: "modal-1" });
    const modal = await opening;
    const closed = modal.waitForClose();
    await tick();
    expect(posted[1]!.message).toMatchObject({ command: "ui.waitForClose", payload: { handle: "modal-1" } });
    answer({ saved: true });
    await expect(closed).resolves.toEqual({ saved: true });
  });
});

describe("item mapping", () => {
  const restCard = (style: Record<string, unknown>): BoardItem => ({
    id: "3458764500000000777",
    type: "app_card",
    data: {
      title: "T",
      description: "<p>D</p>",
      status: "connected",
      fields: [{ value: "Open", fillColor: "#dafbe1" }],
    },
    style,
    position: { x: 10, y: 20, origin: "center", relativeTo: "canvas_center" },
    geometry: { width: 320, height: 94 },
    createdAt: "2026-01-01T00:00:00Z",
    createdBy: { id: SEED.alice.id, type: "user" },
    modifiedAt: "2026-01-02T00:00:00Z",
    modifiedBy: { id: SEED.bob.id, type: "user" },
    appId: TEST_APP.clientId,
    metadata: {},
  });

  it("calls REST's style.fillColor style.cardTheme in the SDK, and back", () => {
    const sdk = toSdkItem(restCard({ fillColor: "#1a7f37" }), TEST_APP.clientId);
    expect(sdk).toMatchObject({
      type: "app_card",
      title: "T",
      description: "<p>D</p>",
      status: "connected",
      style: { cardTheme: "#1a7f37" },
      fields: [{ value: "Open", fillColor: "#dafbe1" }],
      x: 10,
      y: 20,
      width: 320,
      height: 94,
      createdBy: SEED.alice.id,
      modifiedBy: SEED.bob.id,
      owned: true,
    });
    expect(sdk.style).not.toHaveProperty("fillColor");

    const rest = appCardFromSdk({ title: "T", style: { cardTheme: "#1A7F37" } });
    expect(rest.style).toEqual({ fillColor: "#1a7f37" });
    expect(rest.data).toMatchObject({ title: "T", status: "disconnected" });
  });

  it("uses Miro's default colour when none is set, and refuses what is not a hex colour", () => {
    expect(toSdkItem(restCard({}), TEST_APP.clientId)).toMatchObject({ style: { cardTheme: "#2d9bf0" } });
    expect(appCardFromSdk({}).style).toEqual({ fillColor: "#2d9bf0" });
    expect(() => appCardFromSdk({ style: { cardTheme: "green" } })).toThrow(SdkInputError);
    expect(() => appCardFromSdk({ status: "gone" })).toThrow(SdkInputError);
  });

  it("tells an app whether it owns a card", () => {
    expect(toSdkItem(restCard({}), "3458764500000000002")).toMatchObject({ owned: false });
  });

  it("keeps sticky notes' fillColor (a colour name in both shapes)", () => {
    const rest = stickyNoteFromSdk({ content: "Idea", style: { fillColor: "light_green" } });
    expect(rest.style).toMatchObject({ fillColor: "light_green" });
    expect(() => stickyNoteFromSdk({ style: { fillColor: "#00ff00" } })).toThrow(SdkInputError);
  });
});

describe("item commands, as the board forwards them", () => {
  const sdk = async (userId: string, command: string, payload: unknown) => {
    const response = await fetch(`${emulator.url}/board/api/boards/${encodeURIComponent(sprint)}/sdk`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId, command, payload }),
    });
    const body = (await response.json()) as { result?: Record<string, unknown>; message?: string };
    return { status: response.status, result: body.result, message: body.message };
  };

  it("creates app cards that REST sees as the app's, created by the acting person, in the same colour", async () => {
    const created = await sdk(SEED.bob.id, "board.createAppCard", {
      title: "Fix login",
      status: "connected",
      style: { cardTheme: "#1a7f37" },
      x: 100,
      y: 50,
    });
    expect(created.status).toBe(200);
    expect(created.result).toMatchObject({
      type: "app_card",
      createdBy: SEED.bob.id,
      owned: true,
      style: { cardTheme: "#1a7f37" },
    });
    const id = String(created.result!.id);
    expect(emulator.state.getItem(sprint, id)?.appId).toBe(TEST_APP.clientId);

    const { access_token } = await install(emulator, SEED.alice.id);
    const rest = await call<AppCard>(emulator, "GET", `/v2/boards/${sprint}/app_cards/${id}`, { token: access_token });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({
      style: { fillColor: "#1a7f37" },
      data: { title: "Fix login", status: "connected" },
      createdBy: { id: SEED.bob.id },
      position: { x: 100, y: 50 },
    });

    // REST changes the colour; the SDK reads it as cardTheme.
    await call(emulator, "PATCH", `/v2/boards/${sprint}/app_cards/${id}`, {
      token: access_token,
      json: { style: { fillColor: "#cf222e" }, data: { status: "disabled" } },
    });
    const [read] = (await sdk(SEED.alice.id, "board.get", { id })).result as unknown as Record<string, unknown>[];
    expect(read).toMatchObject({ style: { cardTheme: "#cf222e" }, status: "disabled" });
  });

  it("syncs an app's own card, keeps its metadata to itself, and removes it", async () => {
    const created = await sdk(SEED.alice.id, "board.createAppCard", { title: "Draft" });
    const id = String(created.result!.id);
    const synced = await sdk(SEED.bob.id, "board.sync", {
      ...created.result,
      title: "Final",
      style: { cardTheme: "#8250df" },
    });
    expect(synced.result).toMatchObject({ title: "Final", style: { cardTheme: "#8250df" }, modifiedBy: SEED.bob.id });
    expect(emulator.state.getItem(sprint, id)).toMatchObject({
      data: { title: "Final" },
      style: { fillColor: "#8250df" },
    });

    await sdk(SEED.alice.id, "board.setMetadata", { id, key: "issue", value: { number: 7 } });
    expect((await sdk(SEED.alice.id, "board.getMetadata", { id, key: "issue" })).result).toEqual({ number: 7 });
    expect((await sdk(SEED.alice.id, "board.getMetadata", { id })).result).toEqual({ issue: { number: 7 } });

    expect((await sdk(SEED.alice.id, "board.remove", { id })).status).toBe(200);
    expect(emulator.state.getItem(sprint, id)).toBeUndefined();
    expect((await sdk(SEED.alice.id, "board.getMetadata", { id })).status).toBe(404);
  });

  it("refuses to change another app's card, and bad input, with a message for the app", async () => {
    const foreign = emulator.state.createItem(sprint, SEED.alice.id, {
      type: "app_card",
      data: { title: "Jira card" },
      style: {},
      appId: "3458764500000000002",
    });
    const refused = await sdk(SEED.alice.id, "board.sync", { id: foreign.id, title: "Mine now" });
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/only change the app cards it created/);

    const bad = await sdk(SEED.alice.id, "board.createAppCard", { style: { cardTheme: "red" } });
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/cardTheme/);
  });

  it("finds items by type and by id, and turns sticky notes into SDK items", async () => {
    const stickies = (await sdk(SEED.alice.id, "board.get", { type: "sticky_note" })).result as unknown as {
      id: string;
      type: string;
      content: string;
    }[];
    expect(stickies.every((item) => item.type === "sticky_note")).toBe(true);
    expect(stickies.find((item) => item.id === SEED.stickies.loginBug)).toMatchObject({
      content: "Login fails on Safari",
      style: { fillColor: "light_yellow" },
    });
  });

  it("acts only for people on the board", async () => {
    const response = await fetch(`${emulator.url}/board/api/boards/${encodeURIComponent(SEED.aliceBoard.id)}/sdk`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: SEED.bob.id, command: "board.get", payload: {} }),
    });
    expect(response.status).toBe(403);
  });
});

import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../seed";
import type { MiroEmulator } from "../server";
import { call, install, startTestEmulator, TEST_APP } from "../testing";
import type { BoardPageConfig } from "./page-config";

/** The sandbox board's server side: the page, its live event stream, id tokens, the install round trip. */

let emulator: MiroEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

const sprint = SEED.sprintBoard.id;

function pageConfig(html: string): BoardPageConfig {
  const json = /<script id="board-config" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  if (!json) throw new Error("no board config in the page");
  return JSON.parse(json) as BoardPageConfig;
}

/** Reads a Server-Sent Events stream one event at a time. */
async function openEvents(path: string) {
  const controller = new AbortController();
  const response = await fetch(`${emulator.url}${path}`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    response,
    async next(): Promise<{ event: string; data: unknown }> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) return { event, data: JSON.parse(data) };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the event stream ended");
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}

describe("the board page", () => {
  it("opens the seeded Sprint planning board as its first member, framing the app's headless page", async () => {
    const response = await fetch(`${emulator.url}/board`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    const config = pageConfig(html);
    expect(config.board).toMatchObject({ id: sprint, name: "Sprint planning", teamId: SEED.team.id });
    expect(config.currentUserId).toBe(SEED.alice.id);
    expect(config.users.map((user) => user.name)).toEqual([SEED.alice.name, SEED.bob.name]);
    expect(config.app).toMatchObject({ clientId: TEST_APP.clientId, headlessUrl: `${TEST_APP.appUrl}/headless` });
    expect(html).toContain('<script src="/board/static/board.js"></script>');
    // The page is public to whoever opens the board: the client secret is never in it.
    expect(html).not.toContain(TEST_APP.clientSecret);
  });

  it("acts as the board member named in ?user= and remembers the choice", async () => {
    const response = await fetch(`${emulator.url}/board/${encodeURIComponent(sprint)}?user=${SEED.bob.id}`);
    expect(pageConfig(await response.text()).currentUserId).toBe(SEED.bob.id);
    expect(response.headers.getSetCookie().join(";")).toContain(`miro_sandbox_user=${SEED.bob.id}`);

    const again = await fetch(`${emulator.url}/board`, { headers: { cookie: `miro_sandbox_user=${SEED.bob.id}` } });
    expect(pageConfig(await again.text()).currentUserId).toBe(SEED.bob.id);
  });

  it("does not let someone act as a person who is not on the board", async () => {
    const response = await fetch(`${emulator.url}/board/${encodeURIComponent(SEED.aliceBoard.id)}?user=${SEED.bob.id}`);
    expect(pageConfig(await response.text()).currentUserId).toBe(SEED.alice.id);
  });

  it("says so when the board does not exist", async () => {
    const response = await fetch(`${emulator.url}/board/uXjVNoSuch0=`);
    expect(response.status).toBe(404);
  });

  it("serves its script as JavaScript and its styles as CSS", async () => {
    const script = await fetch(`${emulator.url}/board/static/board.js`);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    const source = await script.text();
    expect(() => new Function(source)).not.toThrow();
    const styles = await fetch(`${emulator.url}/board/static/board.css`);
    expect(styles.headers.get("content-type")).toContain("text/css");
  });
});

describe("live updates", () => {
  it("sends the board's items, then every change made through MiroState", async () => {
    const events = await openEvents(`/board/api/boards/${encodeURIComponent(sprint)}/events`);
    try {
      expect(events.response.headers.get("content-type")).toContain("text/event-stream");
      const snapshot = await events.next();
      expect(snapshot.event).toBe("snapshot");
      const ids = (snapshot.data as { items: { id: string }[] }).items.map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining([SEED.stickies.loginBug, SEED.stickies.darkMode]));

      // A change on another board is not this board's news.
      emulator.state.updateItem(SEED.aliceBoard.id, SEED.stickies.roadmapIdea, SEED.alice.id, {
        data: { content: "Q4" },
      });
      const card = emulator.state.createItem(sprint, SEED.bob.id, {
        type: "app_card",
        data: { title: "Fix login", status: "connected" },
        style: { fillColor: "#1a7f37" },
        appId: TEST_APP.clientId,
      });
      const created = await events.next();
      expect(created).toMatchObject({
        event: "change",
        data: { kind: "created", item: { id: card.id, type: "app_card" } },
      });

      emulator.state.updateItem(sprint, card.id, SEED.alice.id, { data: { title: "Fix login on Safari" } });
      expect(await events.next()).toMatchObject({
        data: {
          kind: "updated",
          item: { id: card.id, data: { title: "Fix login on Safari" }, modifiedBy: { id: SEED.alice.id } },
        },
      });

      emulator.state.deleteItem(sprint, card.id);
      expect(await events.next()).toMatchObject({ data: { kind: "deleted", item: { id: card.id } } });
    } finally {
      events.close();
    }
  });

  it("keeps the apps' item metadata out of the stream", async () => {
    const events = await openEvents(`/board/api/boards/${encodeURIComponent(sprint)}/events`);
    try {
      await events.next();
      emulator.state.updateItem(sprint, SEED.stickies.darkMode, SEED.bob.id, {
        metadata: { [TEST_APP.clientId]: { issue: 42 } },
      });
      const change = (await events.next()).data as { item: Record<string, unknown> };
      expect(change.item).not.toHaveProperty("metadata");
    } finally {
      events.close();
    }
  });
});

describe("id tokens", () => {
  const secret = new TextEncoder().encode(TEST_APP.clientSecret);

  it("are HS256 JWTs signed with the client secret, naming the Miro user and team, for the client id", async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await fetch(`${emulator.url}/board/api/id-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ boardId: sprint, userId: SEED.bob.id }),
    });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const { payload, protectedHeader } = await jwtVerify(token, secret, { algorithms: ["HS256"], issuer: "miro" });
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload).toMatchObject({ user: SEED.bob.id, team: SEED.team.id, sub: TEST_APP.clientId, iss: "miro" });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(300);
    await expect(jwtVerify(token, new TextEncoder().encode("another-secret"))).rejects.toThrow();
  });

  it("are refused for someone who is not on the board", async () => {
    const response = await fetch(`${emulator.url}/board/api/id-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ boardId: SEED.aliceBoard.id, userId: SEED.bob.id }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ type: "error", status: 403 });
  });
});

describe("installing the app from the board", () => {
  it("sends the browser to the app's redirect URI with a code that the token endpoint accepts", async () => {
    const response = await fetch(
      `${emulator.url}/board/install?boardId=${encodeURIComponent(sprint)}&userId=${SEED.bob.id}`,
      { redirect: "manual" },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(TEST_APP.redirectUri);
    expect(location.searchParams.get("client_id")).toBe(TEST_APP.clientId);
    expect(location.searchParams.get("team_id")).toBe(SEED.team.id);

    const { status, body } = await call<{ user_id: string; team_id: string }>(emulator, "POST", "/v1/oauth/token", {
      form: {
        grant_type: "authorization_code",
        code: location.searchParams.get("code")!,
        client_id: TEST_APP.clientId,
        client_secret: TEST_APP.clientSecret,
        redirect_uri: TEST_APP.redirectUri,
      },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ user_id: SEED.bob.id, team_id: SEED.team.id });
  });

  it("has an install-completed page that leads back to the board", async () => {
    const response = await fetch(
      `${emulator.url}/app-install-completed/?client_id=${TEST_APP.clientId}&team_id=${SEED.team.id}`,
      {
        headers: { cookie: `miro_sandbox_board=${encodeURIComponent(sprint)}` },
      },
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Installed.");
    expect(html).toContain(`href="/board/${encodeURIComponent(sprint)}"`);
  });
});

describe("what a person does on the board", () => {
  const items = `/board/api/boards/${encodeURIComponent(sprint)}/items`;
  const json = (method: string, body: unknown) => ({
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

  it("adds, moves, rewrites and deletes sticky notes as the acting person, visible to REST", async () => {
    const created = await fetch(`${emulator.url}${items}`, json("POST", { userId: SEED.bob.id, x: 10, y: 20 }));
    expect(created.status).toBe(201);
    const { item } = (await created.json()) as { item: { id: string; createdBy: { id: string } } };
    expect(item.createdBy.id).toBe(SEED.bob.id);

    await fetch(`${emulator.url}${items}/${item.id}`, json("PATCH", { userId: SEED.alice.id, x: 300, y: -40.6 }));
    await fetch(
      `${emulator.url}${items}/${item.id}`,
      json("PATCH", { userId: SEED.alice.id, content: "<p>Ship it</p>" }),
    );
    expect(emulator.state.getItem(sprint, item.id)).toMatchObject({
      position: { x: 300, y: -41 },
      data: { content: "<p>Ship it</p>" },
      modifiedBy: { id: SEED.alice.id },
    });

    const { access_token } = await install(emulator, SEED.alice.id);
    const listed = await call<{ data: { id: string }[] }>(emulator, "GET", `/v2/boards/${sprint}/items`, {
      token: access_token,
      query: { type: "sticky_note" },
    });
    expect(listed.body.data.map((entry) => entry.id)).toContain(item.id);

    const deleted = await fetch(`${emulator.url}${items}/${item.id}?userId=${SEED.bob.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(emulator.state.getItem(sprint, item.id)).toBeUndefined();
  });

  it("refuses people who are not on the board", async () => {
    const response = await fetch(`${emulator.url}/board/api/boards/${encodeURIComponent(SEED.aliceBoard.id)}/items`, {
      ...json("POST", { userId: SEED.bob.id }),
    });
    expect(response.status).toBe(403);
  });
});

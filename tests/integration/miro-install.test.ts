import { afterAll, describe, expect, it } from "vitest";
import { GET as callback } from "@/app/api/miro/oauth/callback/route";
import { GET as startOAuth } from "@/app/api/miro/oauth/start/route";
import { GET as me } from "@/app/api/me/route";
import { DELETE as uninstall } from "@/app/api/miro/installation/route";
import { openToken } from "@/lib/crypto/tokens";
import { checkMiroTraffic } from "../emulators/miro/openapi";
import { SEED } from "../emulators/miro/seed";
import { miroIdToken, panelRequest, withMiroEmulator } from "../helpers/miro";
import { withTestDatabase } from "../helpers/test-database";

const database = withTestDatabase();
const miro = withMiroEmulator();
const { alice, bob, team } = SEED;

function installUrl(params: Record<string, string>) {
  return new Request(`http://localhost:3000/api/miro/oauth/callback?${new URLSearchParams(params)}`);
}

async function install(userId: string) {
  const code = miro.current().control.issueCode(userId, team.id);
  return callback(installUrl({ code, client_id: process.env.MIRO_CLIENT_ID!, team_id: team.id }));
}

afterAll(() => {
  // Everything the app sent Miro in this file (code exchange, token context, revoke), and every
  // answer, as Miro's API description says.
  expect(checkMiroTraffic(miro.current().control.requests())).toEqual([]);
});

describe("installing the app (Miro OAuth callback)", () => {
  it("stores the user, team and encrypted tokens, then sends the browser back to Miro", async () => {
    const response = await install(alice.id);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.pathname).toBe("/app-install-completed/");
    expect(location.searchParams.get("client_id")).toBe(process.env.MIRO_CLIENT_ID);
    expect(location.searchParams.get("team_id")).toBe(team.id);

    const db = database.current().prisma;
    expect(await db.miroUser.findUnique({ where: { id: alice.id } })).toMatchObject({ name: alice.name });
    expect(await db.miroTeam.findUnique({ where: { id: team.id } })).toMatchObject({ name: team.name });
    const row = await db.miroToken.findUniqueOrThrow({ where: { userId_teamId: { userId: alice.id, teamId: team.id } } });
    const accessToken = openToken("miro_tokens", "access_token_enc", row.id, row.accessTokenEnc);
    // The raw columns hold ciphertext only.
    expect(row.accessTokenEnc).not.toContain(accessToken);
    const rawRows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM miro_tokens`);
    expect(JSON.stringify(rawRows)).not.toContain(accessToken);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);
    expect(row.refreshTokenEnc).toMatch(/^v1\./);

    // The exchange sent the client secret in the form body, never the query.
    const exchange = miro.current().control.requests().find((r) => r.path === "/v1/oauth/token");
    expect(exchange?.query).not.toHaveProperty("client_secret");
    expect(exchange?.body).toHaveProperty("client_secret");

    const whoami = await me(panelRequest("/api/me", await miroIdToken({ user: alice.id, team: team.id })));
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toEqual({
      miro: { userId: alice.id, teamId: team.id, name: alice.name, teamName: team.name, needsReconnect: false },
      github: { connected: false },
    });
  });

  it("refuses a missing, bad or replayed code with a readable page and stores nothing", async () => {
    const db = database.current().prisma;
    const before = await db.miroToken.count();
    const clientId = process.env.MIRO_CLIENT_ID!;

    const missing = await callback(installUrl({ client_id: clientId, team_id: team.id }));
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toMatch(/text\/html/);
    expect(await missing.text()).toContain("code is missing");

    const bad = await callback(installUrl({ code: "not-a-code", client_id: clientId, team_id: team.id }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("did not accept this authorization code");

    const code = miro.current().control.issueCode(bob.id, team.id);
    const first = await callback(installUrl({ code, client_id: clientId, team_id: team.id }));
    expect(first.status).toBe(302);
    await db.miroToken.delete({ where: { userId_teamId: { userId: bob.id, teamId: team.id } } });
    const replay = await callback(installUrl({ code, client_id: clientId, team_id: team.id }));
    expect(replay.status).toBe(400);
    expect(await db.miroToken.count()).toBe(before);

    const otherApp = await callback(installUrl({ code: "x", client_id: "3458764599999999999", team_id: team.id }));
    expect(otherApp.status).toBe(400);
    expect(await otherApp.text()).toContain("different Miro app");
    expect(await db.miroToken.count()).toBe(before);
  });

  it("honours a state we issued once, and refuses it the second time", async () => {
    const start = await startOAuth(new Request("http://localhost:3000/api/miro/oauth/start"));
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.pathname).toBe("/oauth/authorize");
    expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost:3000/api/miro/oauth/callback");
    const state = authorize.searchParams.get("state")!;
    expect(state.length).toBeGreaterThanOrEqual(40);
    // Stored hashed: the raw state is nowhere in the table.
    const rows = await database.current().prisma.oAuthState.findMany();
    expect(JSON.stringify(rows)).not.toContain(state);

    const clientId = process.env.MIRO_CLIENT_ID!;
    const ok = await callback(
      installUrl({ code: miro.current().control.issueCode(bob.id, team.id), client_id: clientId, team_id: team.id, state }),
    );
    expect(ok.status).toBe(302);
    const replay = await callback(
      installUrl({ code: miro.current().control.issueCode(bob.id, team.id), client_id: clientId, team_id: team.id, state }),
    );
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("expired or was already used");
  });

  it("uninstall revokes the token at Miro and deletes it; the panel is then told to install", async () => {
    await install(alice.id);
    const db = database.current().prisma;
    const row = await db.miroToken.findUniqueOrThrow({ where: { userId_teamId: { userId: alice.id, teamId: team.id } } });
    const accessToken = openToken("miro_tokens", "access_token_enc", row.id, row.accessTokenEnc);
    const idToken = await miroIdToken({ user: alice.id, team: team.id });

    const response = await uninstall(panelRequest("/api/miro/installation", idToken, { method: "DELETE" }));
    expect(response.status).toBe(204);
    expect(await db.miroToken.count({ where: { userId: alice.id } })).toBe(0);
    const context = await fetch(`${miro.current().url}/v1/oauth-token`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(context.ok).toBe(false); // Miro answers 400 "Invalid token provided" for a revoked token

    const after = await me(panelRequest("/api/me", idToken));
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe("miro_not_installed");
  });
});

describe("reconnecting Miro from the panel (a flow we start)", () => {
  it("goes through Miro's authorize page and comes back with our state", async () => {
    const start = await startOAuth(new Request("http://localhost:3000/api/miro/oauth/start"));
    const authorize = new URL(start.headers.get("location")!);
    const page = await fetch(authorize);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Allow as ${bob.name} on ${team.name}`);
    const approve = await fetch(new URL("/oauth/authorize", authorize), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ state: authorize.searchParams.get("state")!, user_id: bob.id, team_id: team.id }),
    });
    expect(approve.status).toBe(302);
    const back = new URL(approve.headers.get("location")!);
    expect(back.pathname).toBe("/api/miro/oauth/callback");
    const done = await callback(new Request(back));
    expect(done.status).toBe(302);
    expect(new URL(done.headers.get("location")!).pathname).toBe("/app-install-completed/");
  });
});

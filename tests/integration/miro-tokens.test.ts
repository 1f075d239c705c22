import { describe, expect, it } from "vitest";
import { GET as callback } from "@/app/api/miro/oauth/callback/route";
import { GET as me } from "@/app/api/me/route";
import { openToken } from "@/lib/crypto/tokens";
import { getMiroAccessToken, refreshMiroInstallationUnderLock } from "@/lib/miro/token-store";
import { SEED } from "../emulators/miro/seed";
import { miroIdToken, panelRequest, withMiroEmulator } from "../helpers/miro";
import { withTestDatabase } from "../helpers/test-database";

const database = withTestDatabase();
const miro = withMiroEmulator({ expiringTokens: true });
const { team } = SEED;

async function installNewUser(name: string) {
  const emulator = miro.current();
  const [user] = emulator.control.seed({ users: [{ name }] }).users;
  emulator.state.addToTeam(user!.id, team.id);
  const code = emulator.control.issueCode(user!.id, team.id);
  const response = await callback(
    new Request(
      `http://localhost:3000/api/miro/oauth/callback?${new URLSearchParams({ code, client_id: process.env.MIRO_CLIENT_ID!, team_id: team.id })}`,
    ),
  );
  expect(response.status).toBe(302);
  const row = await database.current().prisma.miroToken.findUniqueOrThrow({
    where: { userId_teamId: { userId: user!.id, teamId: team.id } },
  });
  return { userId: user!.id, rowId: row.id, accessToken: openToken("miro_tokens", "access_token_enc", row.id, row.accessTokenEnc) };
}

/** Time passes: the stored access token is now about to expire (Miro's copy is still valid). */
async function makeDue(rowId: string) {
  await database.current().prisma.miroToken.update({
    where: { id: rowId },
    data: { accessTokenExpiresAt: new Date(Date.now() + 30_000) },
  });
}

function refreshCalls() {
  return miro
    .current()
    .control.requests()
    .filter((r) => r.path === "/v1/oauth/token" && (r.body as Record<string, string>)?.grant_type === "refresh_token");
}

async function tokenWorks(accessToken: string) {
  const response = await fetch(`${miro.current().url}/v1/oauth-token`, { headers: { authorization: `Bearer ${accessToken}` } });
  return response.ok;
}

describe("Miro tokens that keep working", () => {
  it("returns the stored token while it is fresh, without calling Miro", async () => {
    const { userId, accessToken } = await installNewUser("Fresh Fiona");
    miro.current().control.clearRequests();
    expect(await getMiroAccessToken(userId, team.id)).toBe(accessToken);
    expect(refreshCalls()).toHaveLength(0);
  });

  it("refreshes exactly once for 20 concurrent callers, and all 20 get the new token", async () => {
    const { userId, rowId, accessToken: oldToken } = await installNewUser("Busy Bea");
    await makeDue(rowId);
    miro.current().control.clearRequests();

    const tokens = await Promise.all(Array.from({ length: 20 }, () => getMiroAccessToken(userId, team.id)));

    expect(refreshCalls()).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(oldToken);
    expect(await tokenWorks(tokens[0]!)).toBe(true);
    // Miro killed the old pair; we never use it again.
    expect(await tokenWorks(oldToken)).toBe(false);
    const row = await database.current().prisma.miroToken.findUniqueOrThrow({ where: { id: rowId } });
    expect(openToken("miro_tokens", "access_token_enc", rowId, row.accessTokenEnc)).toBe(tokens[0]);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);
  });

  it("refreshes once when two processes race for the row lock", async () => {
    const { rowId } = await installNewUser("Racing Rita");
    await makeDue(rowId);
    miro.current().control.clearRequests();
    // Bypasses the in-process single flight: only the row lock and the re-check stand between them.
    const [a, b] = await Promise.all([refreshMiroInstallationUnderLock(rowId), refreshMiroInstallationUnderLock(rowId)]);
    expect(a).toBe(b);
    expect(refreshCalls()).toHaveLength(1);
  });

  it("marks the user to reconnect when Miro refuses the refresh for good, and the panel sees it", async () => {
    const { userId, rowId, accessToken } = await installNewUser("Revoked Rob");
    // Revoking the access token revokes its refresh token too.
    const revoke = await fetch(`${miro.current().url}/v2/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accessToken, clientId: process.env.MIRO_CLIENT_ID, clientSecret: process.env.MIRO_CLIENT_SECRET }),
    });
    expect(revoke.status).toBe(204);
    await makeDue(rowId);

    await expect(getMiroAccessToken(userId, team.id)).rejects.toMatchObject({ code: "miro_reconnect_required" });
    const row = await database.current().prisma.miroToken.findUniqueOrThrow({ where: { id: rowId } });
    expect(row.needsReconnect).toBe(true);
    // No second attempt with a dead refresh token.
    miro.current().control.clearRequests();
    await expect(getMiroAccessToken(userId, team.id)).rejects.toMatchObject({ code: "miro_reconnect_required" });
    expect(refreshCalls()).toHaveLength(0);

    const response = await me(panelRequest("/api/me", await miroIdToken({ user: userId, team: team.id })));
    expect((await response.json()).miro.needsReconnect).toBe(true);
  });

  it("keeps the old token usable when Miro's token endpoint fails for a moment", async () => {
    const { userId, rowId } = await installNewUser("Patient Pat");
    await makeDue(rowId);
    miro.current().control.forceNext(500, 1);
    await expect(getMiroAccessToken(userId, team.id)).rejects.toThrow();
    const row = await database.current().prisma.miroToken.findUniqueOrThrow({ where: { id: rowId } });
    expect(row.needsReconnect).toBe(false);
    // The next call refreshes normally.
    const token = await getMiroAccessToken(userId, team.id);
    expect(await tokenWorks(token)).toBe(true);
  });
});

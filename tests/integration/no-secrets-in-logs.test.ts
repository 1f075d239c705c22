import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DELETE as disconnect } from "@/app/api/github/account/route";
import { GET as me } from "@/app/api/me/route";
import { GET as callback } from "@/app/api/miro/oauth/callback/route";
import { DELETE as uninstall } from "@/app/api/miro/installation/route";
import { openToken } from "@/lib/crypto/tokens";
import { getGithubAccessToken, saveGithubAccount } from "@/lib/github/account-store";
import { getMiroAccessToken } from "@/lib/miro/token-store";
import { SEED } from "../emulators/miro/seed";
import { withGithubEmulator } from "../helpers/github";
import { miroIdToken, panelRequest, withMiroEmulator } from "../helpers/miro";
import { withTestDatabase } from "../helpers/test-database";

const database = withTestDatabase();
const miro = withMiroEmulator();
const github = withGithubEmulator();

/** Everything this process writes to its logs during the test. */
const lines: string[] = [];
const secrets = new Set<string>();

beforeAll(() => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
  for (const name of ["MIRO_CLIENT_SECRET", "GITHUB_CLIENT_SECRET", "GITHUB_WEBHOOK_SECRET", "NEXTAUTH_SECRET", "CRON_SECRET"]) {
    secrets.add(process.env[name]!);
  }
  for (const entry of process.env.TOKEN_ENCRYPTION_KEYS!.split(",")) secrets.add(entry.split(":")[1]!);
});

afterAll(() => vi.restoreAllMocks());

async function rememberMiroTokens(userId: string) {
  const row = await database.current().prisma.miroToken.findUnique({
    where: { userId_teamId: { userId, teamId: SEED.team.id } },
  });
  if (!row) return;
  secrets.add(openToken("miro_tokens", "access_token_enc", row.id, row.accessTokenEnc));
  if (row.refreshTokenEnc) secrets.add(openToken("miro_tokens", "refresh_token_enc", row.id, row.refreshTokenEnc));
}

describe("logs", () => {
  it("never contain a token or a secret, on the happy path or the failing ones", async () => {
    const { alice } = SEED;
    const emulator = miro.current();
    const install = (code: string) =>
      callback(
        new Request(
          `http://localhost:3000/api/miro/oauth/callback?${new URLSearchParams({ code, client_id: process.env.MIRO_CLIENT_ID!, team_id: SEED.team.id })}`,
        ),
      );

    // Install, with a failing attempt first (Miro's token endpoint down, then a replayed code).
    const code = emulator.control.issueCode(alice.id, SEED.team.id);
    secrets.add(code);
    emulator.control.forceNext(500, 1);
    expect((await install(code)).status).toBe(500);
    expect((await install(code)).status).toBe(302);
    expect((await install(code)).status).toBe(400);
    await rememberMiroTokens(alice.id);

    // A refresh, then a refresh Miro refuses for good.
    await database.current().prisma.miroToken.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() + 1000) } });
    const refreshed = await getMiroAccessToken(alice.id, SEED.team.id);
    await rememberMiroTokens(alice.id);
    emulator.oauth.revoke(refreshed);
    await database.current().prisma.miroToken.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() + 1000) } });
    await getMiroAccessToken(alice.id, SEED.team.id).catch(() => {});

    // GitHub connected, refreshed, refused, disconnected.
    const tokens = github.current().control.issueToken("octocat", { expiresIn: 30 });
    secrets.add(tokens.access_token);
    secrets.add(tokens.refresh_token);
    await saveGithubAccount(alice.id, {
      githubUserId: "583231",
      login: "octocat",
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + 30_000),
    });
    secrets.add(await getGithubAccessToken(alice.id));
    const idToken = await miroIdToken({ user: alice.id, team: SEED.team.id });
    secrets.add(idToken);
    await me(panelRequest("/api/me", idToken));
    await me(panelRequest("/api/me", `${idToken}tampered`));
    await disconnect(panelRequest("/api/github/account", idToken, { method: "DELETE" }));
    await uninstall(panelRequest("/api/miro/installation", idToken, { method: "DELETE" }));

    expect(lines.length).toBeGreaterThan(0); // the failures above were logged
    const leaks = [...secrets].filter((secret) => lines.some((line) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });
});

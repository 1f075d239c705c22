import { describe, expect, it } from "vitest";
import { DELETE as disconnect } from "@/app/api/github/account/route";
import { DELETE as uninstall } from "@/app/api/miro/installation/route";
import { GET as connect } from "@/app/api/github/connect/route";
import { POST as mintTicket } from "@/app/api/github/link-tickets/route";
import { GET as me } from "@/app/api/me/route";
import { openToken } from "@/lib/crypto/tokens";
import { type GithubConnection, getGithubAccessToken } from "@/lib/github/account-store";
import { POST as completeTicket } from "@/app/api/github/link-tickets/complete/route";
import { completeLink, createLinkTicket, LINK_TICKET_TTL_MS, parkGithubSignIn } from "@/lib/github/link-ticket";
import { refreshUnderLock } from "@/lib/db/refresh-token-row";
import { GithubOAuthError, refreshGithubToken } from "@/lib/github/oauth-client";
import { saveMiroInstallation } from "@/lib/miro/token-store";
import { withGithubEmulator } from "../helpers/github";
import { miroIdToken, panelRequest } from "../helpers/miro";
import { withTestDatabase } from "../helpers/test-database";

const database = withTestDatabase();
const github = withGithubEmulator();
const team = "3458764500000000100";
let nextUser = 500;

async function installedUser() {
  const userId = `3458764500000000${nextUser++}`;
  await saveMiroInstallation({ accessToken: `miro-${userId}`, scopes: "", userId, teamId: team });
  return { userId, teamId: team, idToken: await miroIdToken({ user: userId, team }) };
}

/** What GitHub's sign-in gives the callback for `login`: the account and a fresh token pair. */
function signedIn(login: string, expiresIn?: number): { tokens: ReturnType<typeof issue>; account: GithubConnection } {
  const tokens = issue(login, expiresIn);
  const profile = github.current().state.accountOrThrow(login);
  return {
    tokens,
    account: {
      githubUserId: String(profile.id),
      login,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + tokens.expires_in * 1000),
      refreshTokenExpiresAt: new Date(Date.now() + tokens.refresh_token_expires_in * 1000),
    },
  };
}

function issue(login: string, expiresIn?: number) {
  return github.current().control.issueToken(login, { expiresIn });
}

/** The whole connect: ticket → GitHub sign-in parked on it → the panel completes with the popup's code. */
async function connectAs(miroUserId: string, login: string, expiresIn?: number) {
  const { tokens, account } = signedIn(login, expiresIn);
  const ticket = await createLinkTicket({ userId: miroUserId, teamId: team });
  const code = await parkGithubSignIn(ticket, account);
  await completeLink({ userId: miroUserId, teamId: team }, { ticket, code });
  return tokens;
}

async function githubUser(token: string) {
  return fetch(`${github.current().url}/user`, { headers: { authorization: `Bearer ${token}` } });
}

function refreshCalls() {
  return github
    .current()
    .control.requests({ method: "POST", path: "/login/oauth/access_token" })
    .filter((r) => JSON.stringify(r).includes("refresh_token"));
}

describe("link tickets", () => {
  it("the panel mints one for its own user; the popup carries it; the panel completes the link", async () => {
    const alice = await installedUser();
    const response = await mintTicket(panelRequest("/api/github/link-tickets", alice.idToken, { method: "POST" }));
    expect(response.status).toBe(201);
    const { url, ticket } = (await response.json()) as { url: string; ticket: string };
    expect(new URL(url).pathname).toBe("/api/github/connect");
    expect(new URL(url).searchParams.get("ticket")).toBe(ticket);
    // Stored hashed only.
    expect(JSON.stringify(await database.current().prisma.linkTicket.findMany())).not.toContain(ticket);

    const popup = await connect(new Request(url));
    expect(popup.status).toBe(303);
    expect(popup.headers.get("location")).toBe("http://localhost:3000/connect/github");
    expect(popup.headers.get("set-cookie")).toMatch(/^cardbridge-link-ticket=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600/);

    // GitHub's sign-in parks the account on the ticket: encrypted, and not linked yet.
    const { tokens, account } = signedIn("octocat");
    const code = await parkGithubSignIn(ticket, account);
    const parked = await database.current().prisma.linkTicket.findFirstOrThrow({ where: { miroUserId: alice.userId } });
    expect(JSON.stringify(parked)).not.toContain(tokens.access_token);
    expect(JSON.stringify(parked)).not.toContain(code);
    expect(await database.current().prisma.githubAccount.count({ where: { miroUserId: alice.userId } })).toBe(0);

    const done = await completeTicket(
      panelRequest("/api/github/link-tickets/complete", alice.idToken, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticket, code }),
      }),
    );
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ github: { connected: true, login: "octocat" } });
    const after = await database.current().prisma.linkTicket.findFirstOrThrow({ where: { miroUserId: alice.userId } });
    expect(after.pendingEnc).toBeNull();
  });

  it("refuses a ticket used twice", async () => {
    const alice = await installedUser();
    const ticket = await createLinkTicket(alice);
    await parkGithubSignIn(ticket, signedIn("octocat").account);
    await expect(parkGithubSignIn(ticket, signedIn("hubot").account)).rejects.toMatchObject({ status: 400 });
    const popup = await connect(new Request(`http://localhost:3000/api/github/connect?ticket=${ticket}`));
    expect(popup.status).toBe(400);
    expect(await popup.text()).toContain("expired or was already used");
  });

  it("refuses an expired ticket", async () => {
    const alice = await installedUser();
    const ticket = await createLinkTicket(alice);
    await database.current().prisma.linkTicket.updateMany({
      where: { miroUserId: alice.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(parkGithubSignIn(ticket, signedIn("octocat").account)).rejects.toMatchObject({ status: 400 });
    expect(LINK_TICKET_TTL_MS).toBe(10 * 60 * 1000);
  });

  it("refuses to complete a ticket minted for another user, and leaves it to its owner", async () => {
    const alice = await installedUser();
    const bob = await installedUser();
    const ticket = await createLinkTicket(alice);
    const code = await parkGithubSignIn(ticket, signedIn("octocat").account);
    await expect(completeLink(bob, { ticket, code })).rejects.toMatchObject({ status: 403 });
    expect(await database.current().prisma.githubAccount.count({ where: { miroUserId: bob.userId } })).toBe(0);
    expect(await completeLink(alice, { ticket, code })).toEqual({ login: "octocat" });
    await expect(completeLink(alice, { ticket, code })).rejects.toMatchObject({ status: 400 });
  });

  it("stops a forced link: a ticket sent to someone else's browser links nothing to its owner", async () => {
    // Mallory mints a ticket and gets Victor to open the popup link; Victor's GitHub signs in.
    const mallory = await installedUser();
    const ticket = await createLinkTicket(mallory);
    const victorsCode = await parkGithubSignIn(ticket, signedIn("monalisa").account);
    // The completion code stayed in Victor's browser: Mallory can't finish the link without it.
    await expect(completeLink(mallory, { ticket, code: "guessed" })).rejects.toMatchObject({ status: 403 });
    expect(victorsCode).not.toBe("guessed");
    expect(await database.current().prisma.githubAccount.count({ where: { miroUserId: mallory.userId } })).toBe(0);
  });

  it("refuses an unknown or missing ticket in the popup, and a malformed completion", async () => {
    const alice = await installedUser();
    expect((await connect(new Request("http://localhost:3000/api/github/connect"))).status).toBe(400);
    expect((await connect(new Request("http://localhost:3000/api/github/connect?ticket=forged"))).status).toBe(400);
    const bad = await completeTicket(
      panelRequest("/api/github/link-tickets/complete", alice.idToken, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ticket: 42 }),
      }),
    );
    expect(bad.status).toBe(422);
  });
});

describe("GitHub tokens", () => {
  it("connecting stores the tokens encrypted and /api/me shows the login", async () => {
    const alice = await installedUser();
    const tokens = await connectAs(alice.userId, "octocat");
    const row = await database.current().prisma.githubAccount.findUniqueOrThrow({ where: { miroUserId: alice.userId } });
    expect(JSON.stringify(row)).not.toContain(tokens.access_token);
    expect(JSON.stringify(row)).not.toContain(tokens.refresh_token);
    expect(openToken("github_accounts", "access_token_enc", row.id, row.accessTokenEnc)).toBe(tokens.access_token);
    const response = await me(panelRequest("/api/me", alice.idToken));
    expect((await response.json()).github).toEqual({ connected: true, login: "octocat", needsReconnect: false });
  });

  it("connecting another account replaces the first (one GitHub account per Miro user)", async () => {
    const alice = await installedUser();
    const first = await connectAs(alice.userId, "octocat");
    await connectAs(alice.userId, "hubot");
    const rows = await database.current().prisma.githubAccount.findMany({ where: { miroUserId: alice.userId } });
    expect(rows.map((r) => r.login)).toEqual(["hubot"]);
    // The replaced account's grant was revoked.
    expect((await githubUser(first.access_token)).status).toBe(401);
  });

  it("refreshes an expiring token once for concurrent callers, rotating the pair", async () => {
    const alice = await installedUser();
    const old = await connectAs(alice.userId, "octocat", 60); // due: expires within the 2-minute margin
    github.current().control.clearRequests();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => getGithubAccessToken(alice.userId)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(old.access_token);
    expect(refreshCalls()).toHaveLength(1);
    expect((await githubUser(tokens[0]!)).status).toBe(200);
    expect((await githubUser(old.access_token)).status).toBe(401);
    // The old refresh token died with the rotation.
    await expect(refreshGithubToken(old.refresh_token)).rejects.toBeInstanceOf(GithubOAuthError);
  });

  it("refreshes once when two processes race for the row lock", async () => {
    const alice = await installedUser();
    await connectAs(alice.userId, "octocat", 60);
    const row = await database.current().prisma.githubAccount.findUniqueOrThrow({ where: { miroUserId: alice.userId } });
    github.current().control.clearRequests();
    const permanent = (error: unknown) => error instanceof GithubOAuthError && error.permanent;
    const [a, b] = await Promise.all([
      refreshUnderLock("github_accounts", row.id, refreshGithubToken, permanent),
      refreshUnderLock("github_accounts", row.id, refreshGithubToken, permanent),
    ]);
    expect(a).toEqual(b);
    expect(refreshCalls()).toHaveLength(1);
  });

  it("a dead refresh token marks the account to reconnect", async () => {
    const alice = await installedUser();
    const tokens = await connectAs(alice.userId, "octocat", 60);
    await refreshGithubToken(tokens.refresh_token); // someone else used it: it's dead now
    await expect(getGithubAccessToken(alice.userId)).rejects.toMatchObject({ status: 403 });
    const response = await me(panelRequest("/api/me", alice.idToken));
    expect((await response.json()).github).toMatchObject({ connected: true, needsReconnect: true });
  });

  it("disconnect revokes the grant and deletes the tokens", async () => {
    const alice = await installedUser();
    const tokens = await connectAs(alice.userId, "octocat");
    const response = await disconnect(panelRequest("/api/github/account", alice.idToken, { method: "DELETE" }));
    expect(response.status).toBe(204);
    expect(await database.current().prisma.githubAccount.count({ where: { miroUserId: alice.userId } })).toBe(0);
    expect((await githubUser(tokens.access_token)).status).toBe(401);
    const after = await me(panelRequest("/api/me", alice.idToken));
    expect((await after.json()).github).toEqual({ connected: false });
  });

  it("uninstalling the last installation disconnects GitHub too", async () => {
    const alice = await installedUser();
    const tokens = await connectAs(alice.userId, "octocat");
    const response = await uninstall(panelRequest("/api/miro/installation", alice.idToken, { method: "DELETE" }));
    expect(response.status).toBe(204);
    expect(await database.current().prisma.githubAccount.count({ where: { miroUserId: alice.userId } })).toBe(0);
    expect((await githubUser(tokens.access_token)).status).toBe(401);
  });

  it("uninstalling from one team keeps GitHub while another installation remains", async () => {
    const alice = await installedUser();
    await saveMiroInstallation({ accessToken: "miro-other-team", scopes: "", userId: alice.userId, teamId: "3458764500000000777" });
    await connectAs(alice.userId, "octocat");
    await uninstall(panelRequest("/api/miro/installation", alice.idToken, { method: "DELETE" }));
    expect(await database.current().prisma.githubAccount.count({ where: { miroUserId: alice.userId } })).toBe(1);
  });
});

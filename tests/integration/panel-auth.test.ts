import { SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/me/route";
import { saveMiroInstallation } from "@/lib/miro/token-store";
import { miroIdToken, panelRequest } from "../helpers/miro";
import { withTestDatabase } from "../helpers/test-database";

withTestDatabase();

const installed = { user: "3458764500000000201", team: "3458764500000000100" };

beforeAll(async () => {
  await saveMiroInstallation(
    { accessToken: "miro-access", refreshToken: "miro-refresh", scopes: "boards:read", userId: installed.user, teamId: installed.team },
    { userName: "Alice Andersen", teamName: "Acme" },
  );
});

async function codeFor(token: string | undefined, header?: string) {
  const request = panelRequest("/api/me", token);
  if (header) request.headers.set("authorization", header);
  const response = await me(request);
  return { status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code };
}

describe("panel authentication (Miro id token)", () => {
  it("accepts a valid token and takes the identity from its claims", async () => {
    const response = await me(panelRequest("/api/me", await miroIdToken(installed)));
    expect(response.status).toBe(200);
    expect((await response.json()).miro).toMatchObject({ userId: installed.user, teamId: installed.team });
  });

  it("refuses a missing token", async () => {
    expect(await codeFor(undefined)).toEqual({ status: 401, code: "id_token_missing" });
    expect(await codeFor(undefined, "Basic dXNlcjpwYXNz")).toEqual({ status: 401, code: "id_token_missing" });
  });

  it("refuses alg none", async () => {
    const unsigned = new UnsecuredJWT({ user: installed.user, team: installed.team })
      .setSubject(process.env.MIRO_CLIENT_ID!)
      .setExpirationTime("5m")
      .encode();
    expect(await codeFor(unsigned)).toEqual({ status: 401, code: "id_token_invalid" });
  });

  it("refuses a token signed with another secret", async () => {
    expect(await codeFor(await miroIdToken(installed, { secret: "someone-elses-secret" }))).toEqual({
      status: 401,
      code: "id_token_invalid",
    });
  });

  it("refuses HS512 even with the right secret (algorithm pinned)", async () => {
    expect(await codeFor(await miroIdToken(installed, { alg: "HS512" }))).toEqual({ status: 401, code: "id_token_invalid" });
  });

  it("refuses an expired token", async () => {
    const expired = await new SignJWT({ user: installed.user, team: installed.team })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(process.env.MIRO_CLIENT_ID!)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(new TextEncoder().encode(process.env.MIRO_CLIENT_SECRET!));
    expect(await codeFor(expired)).toEqual({ status: 401, code: "id_token_expired" });
  });

  it("refuses another app's token (wrong sub)", async () => {
    expect(await codeFor(await miroIdToken(installed, { sub: "3458764599999999999" }))).toEqual({
      status: 401,
      code: "id_token_wrong_app",
    });
  });

  it("refuses numeric ids, which have already lost precision", async () => {
    const numeric = await new SignJWT({ user: Number(installed.user), team: Number(installed.team) })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(process.env.MIRO_CLIENT_ID!)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(process.env.MIRO_CLIENT_SECRET!));
    expect(await codeFor(numeric)).toEqual({ status: 401, code: "id_token_invalid" });
  });

  it("tells a user who never installed to install", async () => {
    const stranger = await miroIdToken({ user: "3458764500000000999", team: installed.team });
    expect(await codeFor(stranger)).toEqual({ status: 401, code: "miro_not_installed" });
    const otherTeam = await miroIdToken({ user: installed.user, team: "3458764500000000777" });
    expect(await codeFor(otherTeam)).toEqual({ status: 401, code: "miro_not_installed" });
  });
});

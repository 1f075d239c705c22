import { SignJWT } from "jose";
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { type MiroEmulator, startMiroEmulator } from "../emulators/miro/server";

/** Starts a Miro emulator for this test file and points the app's MIRO_API_URL at it. */
export function withMiroEmulator(options: { expiringTokens?: boolean } = {}): { current(): MiroEmulator } {
  let emulator: MiroEmulator | undefined;
  let previous: string | undefined;
  beforeAll(async () => {
    emulator = await startMiroEmulator({
      clientId: process.env.MIRO_CLIENT_ID!,
      clientSecret: process.env.MIRO_CLIENT_SECRET!,
      redirectUri: `${process.env.APP_URL}/api/miro/oauth/callback`,
      appUrl: process.env.APP_URL!,
      expiringTokens: options.expiringTokens ?? true,
    });
    previous = process.env.MIRO_API_URL;
    process.env.MIRO_API_URL = emulator.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.MIRO_API_URL;
    else process.env.MIRO_API_URL = previous;
    resetEnvForTests();
    await emulator?.close();
  });
  return {
    current() {
      if (!emulator) throw new Error("withMiroEmulator: the emulator starts in beforeAll");
      return emulator;
    },
  };
}

/** An id token as Miro's `board.getIdToken()` makes it: HS256 with the app's client secret. */
export async function miroIdToken(
  claims: { user: string; team: string },
  options: { secret?: string; sub?: string; expiresIn?: string | number; alg?: string } = {},
): Promise<string> {
  const secret = new TextEncoder().encode(options.secret ?? process.env.MIRO_CLIENT_SECRET!);
  return new SignJWT({ user: claims.user, team: claims.team })
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .setSubject(options.sub ?? process.env.MIRO_CLIENT_ID!)
    .setIssuer("miro")
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "5m")
    .sign(secret);
}

/** A request from the panel, carrying the id token. */
export function panelRequest(path: string, token: string | undefined, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return new Request(`http://localhost:3000${path}`, { ...init, headers });
}

import { SignJWT } from "jose";
import type { MiroEmulatorContext } from "../context";

/** How long an id token lives. Miro's are short-lived; the SDK fetches a new one on every call. */
export const ID_TOKEN_TTL_SECONDS = 5 * 60;

/**
 * The token `miro.board.getIdToken()` returns: an HS256 JWT signed with the app's client secret,
 * naming the Miro user and team, with the client id as subject. Signed here, on the emulator's
 * server: the secret never reaches the browser.
 * https://developers.miro.com/docs/websdk-reference-board#getidtoken
 */
export async function signIdToken(
  context: MiroEmulatorContext,
  claims: { userId: string; teamId: string },
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT({ user: claims.userId, team: claims.teamId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(context.options.clientId)
    .setIssuer("miro")
    .setIssuedAt(now)
    .setExpirationTime(now + ID_TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(context.options.clientSecret));
}

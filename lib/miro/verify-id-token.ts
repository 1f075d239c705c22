import { errors, jwtVerify } from "jose";
import { env } from "../env";
import { ApiError } from "../http/api-error";

/**
 * Verifies the id token the panel sends (`miro.board.getIdToken()`): a JWT Miro signs with the
 * app's client secret. HS256 is pinned, so `alg: none` or an asymmetric-key confusion is refused;
 * `sub` must be our client id, so another app's token (signed with its own secret) can't pass
 * even if its secret leaked to us. The user and team come from these claims and nowhere else.
 * https://developers.miro.com/docs/web-sdk-reference-board#getidtoken
 */

export type MiroIdentity = { userId: string; teamId: string };

const CLOCK_TOLERANCE_S = 30;
const MIRO_ID = /^\d{1,25}$/;

export async function verifyMiroIdToken(token: string): Promise<MiroIdentity> {
  const { MIRO_CLIENT_ID, MIRO_CLIENT_SECRET } = env();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(MIRO_CLIENT_SECRET), {
      algorithms: ["HS256"],
      subject: MIRO_CLIENT_ID,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new ApiError("id_token_expired", "The board session token has expired; reload the panel.");
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "sub") {
      throw new ApiError("id_token_wrong_app", "The board session token was issued to another app.");
    }
    throw new ApiError("id_token_invalid", "The board session token is not valid.");
  }
  const userId = claimId(payload.user);
  const teamId = claimId(payload.team);
  if (!userId || !teamId) throw new ApiError("id_token_invalid", "The board session token names no Miro user or team.");
  return { userId, teamId };
}

function claimId(value: unknown): string | undefined {
  // Ids are 19-digit numbers: a JSON number would already have lost precision, so only strings pass.
  return typeof value === "string" && MIRO_ID.test(value) ? value : undefined;
}

/** The bearer token of a request, or a 401 naming what is missing. */
export function bearerToken(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new ApiError("id_token_missing", "Send the board session token: Authorization: Bearer <miro.board.getIdToken()>.");
  }
  return match[1]!;
}

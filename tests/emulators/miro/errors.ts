import type { EmulatorReply } from "../shared/router";

/**
 * Miro's error body. The spec describes it several times over (`Error`, `Error400`…`Error429`,
 * `ErrorResponse`): `{ status, code, message, type: "error" }`, with an optional `context` (only
 * `Error` lists it), e.g. the fields a 400 complains about. The codes are the ones the spec gives
 * as defaults or examples: invalidParameters, tokenNotProvided, forbiddenAccess, notFound,
 * conflict, tooManyRequests.
 */
export type MiroErrorBody = {
  status: number;
  code: string;
  message: string;
  type: "error";
  context?: Record<string, unknown>;
};

/** Thrown anywhere in a handler; the route wrapper turns it into Miro's error reply. */
export class MiroHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly context?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "MiroHttpError";
  }

  get body(): MiroErrorBody {
    return {
      status: this.status,
      code: this.code,
      message: this.message,
      type: "error",
      ...(this.context ? { context: this.context } : {}),
    };
  }

  toReply(): EmulatorReply {
    return { status: this.status, headers: this.headers, body: this.body };
  }
}

export type FieldProblem = { field: string; message: string };

export const miroErrors = {
  invalidParameters: (message: string, fields?: FieldProblem[]) =>
    new MiroHttpError(400, "invalidParameters", message, fields ? { fields } : undefined),
  tokenNotProvided: () => new MiroHttpError(401, "tokenNotProvided", "No access token provided"),
  // An unknown, revoked or rotated-away token; and one past its lifetime.
  tokenNotFound: () => new MiroHttpError(401, "tokenNotFound", "Access token is invalid"),
  tokenExpired: () => new MiroHttpError(401, "tokenExpired", "Access token has expired"),
  notFound: (message: string) => new MiroHttpError(404, "notFound", message),
  methodNotAllowed: (allowed: string[]) =>
    new MiroHttpError(405, "methodNotAllowed", `Method not allowed; use ${allowed.join(", ")}`, undefined, {
      allow: allowed.join(", "),
    }),
  conflict: (message = "The item was changed concurrently, retry the request") =>
    new MiroHttpError(409, "conflict", message),
  tooManyRequests: (headers: Record<string, string>) =>
    // Miro's rate-limit page shows this body for 429: https://developers.miro.com/reference/rate-limiting
    new MiroHttpError(429, "tooManyRequests", "Request rate limit exceeded", undefined, headers),
  internal: () => new MiroHttpError(500, "internalError", "Internal server error"),
  badGateway: () => new MiroHttpError(502, "badGateway", "Bad gateway"),
};

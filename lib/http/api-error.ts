import { ZodError } from "zod";

/** The error codes the API answers with, and their HTTP status (DESIGN.md section 7). */
const STATUS = {
  bad_request: 400,
  unauthorized: 401,
  id_token_missing: 401,
  id_token_invalid: 401,
  id_token_expired: 401,
  id_token_wrong_app: 401,
  miro_not_installed: 401,
  miro_reconnect_required: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_server_error: 500,
  service_unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof STATUS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
  }
}

export type ErrorBody = { error: { code: string; message: string; issues?: { path: string; message: string }[] } };

export function errorResponse(
  code: ApiErrorCode,
  message: string,
  extra: { headers?: Record<string, string>; issues?: ErrorBody["error"]["issues"] } = {},
): Response {
  const body: ErrorBody = { error: { code, message, ...(extra.issues ? { issues: extra.issues } : {}) } };
  return Response.json(body, { status: STATUS[code], headers: { "cache-control": "no-store", ...extra.headers } });
}

/**
 * The one place errors become responses: known errors keep their status, invalid input is a 422
 * naming the fields, and anything else is a bare 500 whose cause goes to the log, never the client.
 */
export function handleApiError(error: unknown): Response {
  if (error instanceof ApiError) return errorResponse(error.code, error.message, { headers: error.headers });
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    return errorResponse("unprocessable_entity", `Invalid request: ${summary}`, { issues });
  }
  console.error("[api] unhandled error:", describeError(error));
  return errorResponse("internal_server_error", "Something went wrong on our side. Try again in a moment.");
}

/** Name, message and stack: enough to debug, and nothing a request carried. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

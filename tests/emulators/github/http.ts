import type { EmulatorReply, EmulatorRequest } from "../shared/router";
import { GithubError, type GithubState } from "./state";

/**
 * What every REST handler shares: GitHub's error bodies, token authentication, pagination with a
 * `Link` header, and the response headers GitHub sends on every API response.
 */

const DOCS = "https://docs.github.com/rest";

/** GitHub's error body: `{message, documentation_url, status}` (and `errors` for 422). */
export function githubError(
  status: number,
  message: string,
  errors?: Array<Record<string, unknown>>,
  documentationUrl = DOCS,
): EmulatorReply {
  return {
    status,
    body: { message, documentation_url: documentationUrl, ...(errors ? { errors } : {}), status: String(status) },
  };
}

export function errorReply(error: unknown): EmulatorReply {
  if (error instanceof GithubError)
    return githubError(error.status, error.message, error.errors, error.documentationUrl);
  throw error;
}

/** Runs a handler, turning a thrown `GithubError` into GitHub's error response. */
export async function guarded(run: () => Promise<EmulatorReply> | EmulatorReply): Promise<EmulatorReply> {
  try {
    return await run();
  } catch (error) {
    return errorReply(error);
  }
}

/**
 * The token from `Authorization: Bearer <token>` or `token <token>` (both accepted by GitHub,
 * https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api).
 */
export function bearerToken(req: EmulatorRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** The signed-in user's login, or throws 401 `Bad credentials` / `Requires authentication`. */
export function authenticate(state: GithubState, req: EmulatorRequest): string {
  const token = bearerToken(req);
  if (!token) {
    throw new GithubError(401, req.headers.authorization ? "Bad credentials" : "Requires authentication");
  }
  const found = state.accessToken(token);
  if (!found) throw new GithubError(401, "Bad credentials");
  return found.login;
}

/** A JSON request body, or 400 `Problems parsing JSON` as GitHub answers for malformed JSON. */
export function jsonBody<T extends object>(req: EmulatorRequest): T {
  if (req.body.length === 0) return {} as T;
  try {
    const parsed = JSON.parse(req.body.toString("utf8")) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as T;
  } catch {
    // fall through
  }
  throw new GithubError(400, "Problems parsing JSON");
}

/** `per_page` (default 30, max 100) and `page` (from 1), as GitHub's list endpoints take them. */
export function pageParams(req: EmulatorRequest) {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(req.url.searchParams.get("per_page") ?? "30", 10) || 30));
  const page = Math.max(1, Number.parseInt(req.url.searchParams.get("page") ?? "1", 10) || 1);
  return { perPage, page };
}

/**
 * One page of `items` and the `Link` header (`next`, `last`, `first`, `prev`) GitHub sends, which
 * octokit.paginate follows (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
 */
export function paginate<T>(req: EmulatorRequest, base: string, items: T[], cap = Number.POSITIVE_INFINITY) {
  const { perPage, page } = pageParams(req);
  const total = Math.min(items.length, cap);
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const slice = items.slice((page - 1) * perPage, Math.min(page * perPage, total));
  const link = (p: number) => {
    const url = new URL(req.path, base);
    for (const [key, value] of req.url.searchParams) if (key !== "page") url.searchParams.append(key, value);
    url.searchParams.set("page", String(p));
    if (!req.url.searchParams.has("per_page")) url.searchParams.set("per_page", String(perPage));
    return url.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < lastPage) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${link(1)}>; rel="first"`);
  const headers: Record<string, string> = links.length ? { link: links.join(", ") } : {};
  return { items: slice, headers };
}

/** Per-token request budget with GitHub's `x-ratelimit-*` headers (5,000 an hour for user tokens). */
export class RateLimits {
  private used = new Map<string, { used: number; reset: number }>();

  constructor(private readonly now: () => number) {}

  headers(key: string): Record<string, string> {
    const nowS = Math.floor(this.now() / 1000);
    let entry = this.used.get(key);
    if (!entry || entry.reset <= nowS) {
      entry = { used: 0, reset: nowS + 3600 };
      this.used.set(key, entry);
    }
    entry.used++;
    return {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(Math.max(0, 5000 - entry.used)),
      "x-ratelimit-reset": String(entry.reset),
      "x-ratelimit-used": String(entry.used),
      "x-ratelimit-resource": "core",
    };
  }

  clear() {
    this.used.clear();
  }
}

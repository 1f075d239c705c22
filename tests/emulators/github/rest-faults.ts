import type { EmulatorReply, EmulatorRequest } from "../shared/router";
import { githubError } from "./http";

/**
 * Injected REST failures, so the app's retry and rate-limit handling can be tested: plain server
 * errors, GitHub's primary rate limit (403 with `x-ratelimit-remaining: 0` and a reset time), and
 * its secondary rate limit (403/429 with `retry-after`), as described in
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api and
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api.
 */

export type RestFault = {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** Only requests with this method. */
  method?: string;
  /** Only paths matching this (a RegExp, or a string the path starts with). */
  path?: string | RegExp;
  /** `error` (default): answer `status` (500). `rate-limit`: primary limit. `secondary-rate-limit`: abuse limit. */
  kind?: "error" | "rate-limit" | "secondary-rate-limit";
  status?: number;
  /** Seconds in `retry-after` (secondary) or until `x-ratelimit-reset` (primary). Default 1. */
  retryAfter?: number;
};

export class RestFaults {
  private faults: Array<Required<Pick<RestFault, "count">> & RestFault> = [];

  constructor(private readonly now: () => number) {}

  add(fault: RestFault) {
    this.faults.push({ ...fault, count: fault.count ?? 1 });
  }

  clear() {
    this.faults = [];
  }

  pending(): RestFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The failure to answer for this request, if a fault matches (and is used up by it). */
  take(req: EmulatorRequest, login: string | undefined): EmulatorReply | undefined {
    const fault = this.faults.find(
      (f) =>
        (!f.method || f.method.toUpperCase() === req.method) &&
        (!f.path || (typeof f.path === "string" ? req.path.startsWith(f.path) : f.path.test(req.path))),
    );
    if (!fault) return undefined;
    fault.count--;
    if (fault.count <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    const retryAfter = fault.retryAfter ?? 1;
    if (fault.kind === "rate-limit") {
      const reply = githubError(
        fault.status ?? 403,
        `API rate limit exceeded for user ID ${login ?? "unknown"}.`,
        undefined,
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
      );
      return {
        ...reply,
        headers: {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": "5000",
          "x-ratelimit-reset": String(Math.ceil(this.now() / 1000) + retryAfter),
          "x-ratelimit-resource": "core",
        },
      };
    }
    if (fault.kind === "secondary-rate-limit") {
      const reply = githubError(
        fault.status ?? 403,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        undefined,
        "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      );
      return { ...reply, headers: { "retry-after": String(retryAfter) } };
    }
    const status = fault.status ?? 500;
    return githubError(
      status,
      status === 502 ? "Server Error" : status === 503 ? "Service Unavailable" : "Internal Server Error",
    );
  }
}

import type { ServerResponse } from "node:http";
import type { EmulatorRequest, Middleware } from "../shared/router";
import type { Clock } from "./clock";
import type { FaultOutcome } from "./faults";
import { isApiPath } from "./faults";

/**
 * What Miro's API routes received, for tests that assert what the app sent ("the client secret
 * travels in the body", "one PATCH per card"). Credentials are cut to their last 4 characters
 * (enough to tell two tokens apart): the Authorization header, and secrets, tokens and codes in
 * the query or body.
 */

export type LoggedRequest = {
  id: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** JSON bodies parsed, form bodies as an object, anything else as text; undefined when empty. */
  body: unknown;
  /** The answer's status; null while pending or when the call got none (see `outcome`). */
  status: number | null;
  /** The answer's body (JSON parsed; tokens cut like the request's); undefined when empty. */
  response: unknown;
  outcome: "answered" | "pending" | FaultOutcome;
};

const MAX_ENTRIES = 1000;
const SECRET_KEYS = new Set(["client_secret", "clientSecret", "access_token", "accessToken", "refresh_token", "code"]);
// In answers `code` is Miro's error code, not a secret.
const ANSWER_SECRET_KEYS = new Set(["access_token", "refresh_token"]);

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private byRequest = new WeakMap<EmulatorRequest, LoggedRequest>();
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  list(): LoggedRequest[] {
    return this.entries.map((entry) => structuredClone(entry));
  }

  clear() {
    this.entries = [];
  }

  /** Router middleware: records the request and, when the answer is sent, its status. */
  middleware(): Middleware {
    return (req, res) => {
      if (isApiPath(req.path)) this.record(req, res);
      return undefined;
    };
  }

  markOutcome(req: EmulatorRequest, outcome: FaultOutcome) {
    const entry = this.byRequest.get(req);
    if (entry) entry.outcome = outcome;
  }

  private record(req: EmulatorRequest, res: ServerResponse) {
    const entry: LoggedRequest = {
      id: this.nextId++,
      at: new Date(this.clock.now()).toISOString(),
      method: req.method,
      path: req.path,
      query: redact(Object.fromEntries(req.url.searchParams)),
      headers: redactHeaders(req.headers),
      body: readBody(req),
      status: null,
      response: undefined,
      outcome: "pending",
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    this.byRequest.set(req, entry);
    // Keep what the answer said: tests hold every logged answer to Miro's spec.
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const [chunk] = args;
      if (typeof chunk === "string" || Buffer.isBuffer(chunk)) entry.response = parseResponse(chunk.toString());
      return end(...args);
    }) as ServerResponse["end"];
    res.on("finish", () => {
      entry.status = res.statusCode;
      entry.outcome = "answered";
    });
  }
}

function readBody(req: EmulatorRequest): unknown {
  if (req.body.length === 0) return undefined;
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.includes("application/x-www-form-urlencoded")) return redact(Object.fromEntries(req.form()));
  const json = req.json();
  if (json !== undefined)
    return json && typeof json === "object" && !Array.isArray(json) ? redact(json as Record<string, unknown>) : json;
  return req.body.toString("utf8");
}

function parseResponse(text: string): unknown {
  if (text === "") return undefined;
  try {
    const json = JSON.parse(text) as unknown;
    return json && typeof json === "object" && !Array.isArray(json)
      ? redact(json as Record<string, unknown>, ANSWER_SECRET_KEYS)
      : json;
  } catch {
    return text;
  }
}

function redactHeaders(headers: EmulatorRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[name] = name === "authorization" ? redactAuthorization(text) : text;
  }
  return out;
}

function redactAuthorization(value: string) {
  const [scheme, credential] = value.split(/\s+/, 2);
  return credential ? `${scheme} …${credential.slice(-4)}` : `…${value.slice(-4)}`;
}

function redact<T extends Record<string, unknown>>(values: T, keys = SECRET_KEYS): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = keys.has(key) && typeof value === "string" ? `…${value.slice(-4)}` : value;
  }
  return out as T;
}

import { expect } from "vitest";
import type { MiroEmulatorOptions } from "./context";
import type { MiroErrorBody } from "./errors";
import type { TokenResponse } from "./oauth";
import { assertMiroRequest, assertMiroResponse, checkMiroTraffic } from "./openapi";
import { SEED } from "./seed";
import { type MiroEmulator, type StartMiroEmulatorOptions, startMiroEmulator } from "./server";

/**
 * Test helpers for the Miro emulator's own tests: an emulator with the test app registered, and a
 * `call` that holds the request (unless told it is meant to be wrong) and every answer to Miro's
 * OpenAPI description, so drift in the emulator fails the test that exercised it.
 */

export const TEST_APP: MiroEmulatorOptions = {
  clientId: "3458764500000000001",
  clientSecret: "test-miro-client-secret",
  redirectUri: "http://localhost:3000/api/miro/oauth/callback",
  appUrl: "http://localhost:3000",
};

export function startTestEmulator(options: Partial<StartMiroEmulatorOptions> = {}): Promise<MiroEmulator> {
  return startMiroEmulator({ ...TEST_APP, ...options });
}

export type CallOptions = {
  token?: string;
  json?: unknown;
  /** A raw body, sent as is (for malformed JSON). */
  raw?: string;
  form?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** The request is wrong on purpose (a negative test): don't hold it to the spec. */
  invalidRequest?: boolean;
  signal?: AbortSignal;
};

export type CallResult<T> = { status: number; headers: Headers; body: T };

/** The spec's AppCardItem, as tests read it. */
export type AppCard = {
  id: string;
  type: "app_card";
  data: { title?: string; description?: string; status?: string; owned?: boolean; fields?: Record<string, string>[] };
  style: { fillColor: string };
  position: { x: number; y: number; origin: string; relativeTo: string };
  geometry: { width: number; height?: number; rotation?: number };
  createdBy: { id: string; type: string };
  modifiedBy: { id: string; type: string };
  links: { self: string };
};

export type ItemsPage = {
  data: { id: string; type: string; data: Record<string, unknown> }[];
  total: number;
  size: number;
  limit: number;
  cursor?: string;
  links: { self: string; next?: string };
};

export async function call<T = MiroErrorBody>(
  emulator: Pick<MiroEmulator, "url">,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const query = new URLSearchParams(options.query ?? {});
  const requestBody = options.json ?? (options.form ? new URLSearchParams(options.form) : undefined);
  if (!options.invalidRequest) assertMiroRequest(method, path, { query, body: requestBody });

  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers["content-type"] ??= "application/json";
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  } else if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const url = `${emulator.url}${path}${query.size > 0 ? `?${query}` : ""}`;
  const response = await fetch(url, { method, headers, body, signal: options.signal });
  const text = await response.text();
  const parsed = text === "" ? undefined : JSON.parse(text);
  assertMiroResponse(method, path, response.status, parsed);
  return { status: response.status, headers: response.headers, body: parsed };
}

/** The token endpoint's authorization-code exchange, as the app makes it; `overrides` bends one field. */
export function exchange(emulator: MiroEmulator, code: string, overrides: Record<string, string> = {}) {
  return call<TokenResponse & { code?: string }>(emulator, "POST", "/v1/oauth/token", {
    form: {
      grant_type: "authorization_code",
      code,
      client_id: TEST_APP.clientId,
      client_secret: TEST_APP.clientSecret,
      redirect_uri: TEST_APP.redirectUri,
      ...overrides,
    },
  });
}

/** Installs the app for a user the way Miro does: a code from the install redirect, exchanged for tokens. */
export async function install(
  emulator: MiroEmulator,
  userId: string = SEED.alice.id,
  teamId: string = SEED.team.id,
): Promise<TokenResponse> {
  const code = emulator.context.oauth.issueCode(userId, teamId);
  const { status, body } = await exchange(emulator, code);
  expect(status).toBe(200);
  return body;
}

/**
 * Every answer the emulator logged, held to the spec: this catches answers to calls made without
 * `call` (raw fetches, the official client). `call` has already checked the requests it meant to
 * be valid.
 */
export function expectTrafficToMatchSpec(emulator: MiroEmulator) {
  expect(checkMiroTraffic(emulator.control.requests(), { requests: false })).toEqual([]);
}

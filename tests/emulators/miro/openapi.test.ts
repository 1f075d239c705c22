import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "./clock";
import { checkMiroTraffic, toJsonSchema, validateMiroRequest, validateMiroResponse } from "./openapi";
import { SEED } from "./seed";
import type { MiroEmulator } from "./server";
import { type AppCard, install, startTestEmulator, TEST_APP } from "./testing";

/** The spec validator (openapi.ts) catches drift, and every endpoint × status the emulator serves passes it. */

const cardPath = "/v2/boards/{board_id}/app_cards/{item_id}";
const card: AppCard = {
  id: "3458764500000000999",
  type: "app_card",
  data: { title: "t", status: "connected", owned: true },
  style: { fillColor: "#2d9bf0" },
  position: { x: 0, y: 0, origin: "center", relativeTo: "canvas_center" },
  geometry: { width: 320, height: 94 },
  createdBy: { id: "1", type: "user" },
  modifiedBy: { id: "1", type: "user" },
  links: { self: "http://127.0.0.1/v2/boards/b/app_cards/1" },
};

// The project's shared folder sits beside the checkout here and in CI; a clone elsewhere has only
// the vendored copy, and says so by skipping this one check.
const sharedSpec = path.resolve(import.meta.dirname, "../../../../shared/specs/miro-openapi.json");

describe("the Miro spec validator", () => {
  it.skipIf(!existsSync(sharedSpec))("uses a byte-identical copy of ../shared/specs/miro-openapi.json", () => {
    const shared = sharedSpec;
    const vendored = gunzipSync(readFileSync(path.join(import.meta.dirname, "spec/miro-openapi.json.gz")));
    expect(vendored.equals(readFileSync(shared))).toBe(true);
  });

  it("accepts a well-formed AppCardItem, by template or concrete path", () => {
    expect(validateMiroResponse("GET", cardPath, 200, card).ok).toBe(true);
    expect(validateMiroResponse("GET", "/v2/boards/uXjV1234567=/app_cards/345", 200, card)).toMatchObject({
      ok: true,
      template: cardPath,
    });
  });

  it("catches invented fields, wrong types and unknown enum values", () => {
    const invented = validateMiroResponse("GET", cardPath, 200, { ...card, style: { cardTheme: "#fff" } });
    expect(invented.problems).toEqual([
      { in: "body", field: "style.cardTheme", message: "must NOT have additional properties" },
    ]);
    // A numeric id is what loses precision in JavaScript: Miro's ids are strings.
    const numberId = validateMiroResponse("GET", cardPath, 200, { ...card, id: Number(card.id) });
    expect(numberId.problems[0]).toMatchObject({ field: "id", message: "must be string" });
    const status = validateMiroResponse("GET", cardPath, 200, { ...card, data: { status: "open" } });
    expect(status.problems[0]?.field).toBe("data.status");
    const missing = validateMiroResponse("GET", cardPath, 200, { data: {} });
    expect(missing.problems.map((p) => p.field).sort()).toEqual(["id", "type"]);
  });

  it("catches statuses the operation can't answer and bodies on a 204", () => {
    expect(validateMiroResponse("GET", cardPath, 201, card).ok).toBe(false);
    expect(validateMiroResponse("GET", cardPath, 418, { status: 418, type: "error", message: "teapot" }).ok).toBe(
      false,
    );
    expect(validateMiroResponse("DELETE", cardPath, 204, undefined).ok).toBe(true);
    expect(validateMiroResponse("DELETE", cardPath, 204, { deleted: true }).ok).toBe(false);
  });

  it("holds error answers to Miro's error body, declared or not", () => {
    const error = { status: 404, code: "notFound", message: "Item not found", type: "error" };
    expect(validateMiroResponse("GET", cardPath, 404, error).ok).toBe(true);
    // 401 isn't listed on app-card operations, but Miro answers it everywhere.
    expect(validateMiroResponse("GET", cardPath, 401, { ...error, status: 401, code: "tokenNotProvided" }).ok).toBe(
      true,
    );
    expect(validateMiroResponse("GET", cardPath, 400, { ...error, status: 400, context: { fields: [] } }).ok).toBe(
      true,
    );
    expect(validateMiroResponse("GET", cardPath, 404, { error: "not found" }).ok).toBe(false);
    expect(validateMiroResponse("GET", cardPath, 500, { ...error, status: "500" }).ok).toBe(false);
  });

  it("checks requests: bodies, query parameters, and operations that don't exist", () => {
    expect(validateMiroRequest("PATCH", cardPath, { body: { data: { status: "connected" } } }).ok).toBe(true);
    expect(validateMiroRequest("PATCH", cardPath, { body: { data: { colour: "red" } } }).problems[0]?.field).toBe(
      "data.colour",
    );
    expect(validateMiroRequest("POST", "/v2/boards/{board_id}/app_cards", {}).problems[0]?.message).toBe("is required");
    const items = "/v2/boards/{board_id}/items";
    expect(validateMiroRequest("GET", items, { query: { limit: "50", type: "app_card" } }).ok).toBe(true);
    expect(validateMiroRequest("GET", items, { query: { limit: "51" } }).problems[0]).toMatchObject({
      in: "query",
      field: "limit",
    });
    expect(validateMiroRequest("GET", items, { query: { type: "widget" } }).ok).toBe(false);
    expect(validateMiroRequest("GET", items, { query: { page: "2" } }).ok).toBe(false);
    expect(validateMiroRequest("GET", "/v2/boards/{board_id}/app_cards", {}).problems[0]?.in).toBe("operation");
  });

  it("wants the token call's credentials in the form body, not the query string", () => {
    const params = {
      grant_type: "refresh_token",
      refresh_token: "r",
      client_id: TEST_APP.clientId,
      client_secret: TEST_APP.clientSecret,
    };
    expect(validateMiroRequest("POST", "/v1/oauth/token", { body: new URLSearchParams(params) }).ok).toBe(true);
    expect(validateMiroRequest("POST", "/v1/oauth/token", { query: params }).ok).toBe(false);
  });

  it("turns OpenAPI 3.0 nullable into JSON Schema", () => {
    expect(toJsonSchema({ type: "string", nullable: true, example: "x" })).toEqual({ type: ["string", "null"] });
    expect(toJsonSchema({ type: "string", enum: ["a"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(toJsonSchema({ oneOf: [{ type: "string" }], discriminator: {} })).toEqual({ anyOf: [{ type: "string" }] });
  });
});

/**
 * Drives every endpoint through every status the emulator gives it, then holds each logged
 * request and answer to the spec: a new answer shape or status that the spec doesn't know fails here.
 */
describe("every endpoint and error the emulator serves", () => {
  let emulator: MiroEmulator;
  const clock = new FakeClock();

  beforeAll(async () => {
    emulator = await startTestEmulator({ clock });
  });
  afterAll(() => emulator.close());

  it("conforms to the spec", async () => {
    const board = `/v2/boards/${SEED.sprintBoard.id}`;
    const cards = `${board}/app_cards`;
    const raw = (method: string, url: string, init: RequestInit = {}) =>
      fetch(`${emulator.url}${url}`, { method, ...init });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const json = (token: string, body: unknown) => ({
      headers: { ...bearer(token), "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const form = (params: Record<string, string>) => ({
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
    });
    const client = { client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret };

    const alice = await install(emulator);
    const bob = await install(emulator, SEED.bob.id);
    await raw("POST", "/v1/oauth/token", form({ grant_type: "refresh_token", refresh_token: "nope", ...client }));
    await raw(
      "POST",
      "/v1/oauth/token",
      form({ grant_type: "refresh_token", refresh_token: "x", client_id: "1", client_secret: "x" }),
    );
    await raw("GET", "/v1/oauth-token", { headers: bearer(alice.access_token) });
    await raw("GET", "/v1/oauth-token", { headers: bearer("nope") });
    await raw("GET", "/v1/oauth-token");

    const created = (await (
      await raw("POST", cards, json(alice.access_token, { data: { title: "x" } }))
    ).json()) as AppCard;
    await raw("POST", cards, json(alice.access_token, "{"));
    await raw("POST", cards);
    await raw("POST", `/v2/boards/${SEED.aliceBoard.id}/app_cards`, json(bob.access_token, { data: {} }));
    await raw("GET", `${cards}/${created.id}`, { headers: bearer(alice.access_token) });
    await raw("GET", `${cards}/404`, { headers: bearer(alice.access_token) });
    await raw("GET", `${cards}/${created.id}`, { headers: bearer("nope") });
    await raw("PATCH", `${cards}/${created.id}`, json(alice.access_token, { data: { title: "y" } }));
    await raw("PATCH", `${cards}/${created.id}`, json(alice.access_token, { data: { status: "nope" } }));
    await raw("PATCH", `${cards}/404`, json(alice.access_token, { data: {} }));
    emulator.control.forceNext(409);
    await raw("PATCH", `${cards}/${created.id}`, json(alice.access_token, { data: {} }));
    await raw("GET", `${board}/items?type=app_card&limit=10`, { headers: bearer(alice.access_token) });
    await raw("GET", `${board}/items?limit=9`, { headers: bearer(alice.access_token) });
    await raw("GET", `/v2/boards/${SEED.aliceBoard.id}/items`, { headers: bearer(bob.access_token) });
    await raw("GET", `${board}/items`);
    emulator.control.forceNext(500);
    await raw("GET", `${board}/items`, { headers: bearer(alice.access_token) });
    emulator.control.forceNext(502);
    await raw("GET", `${board}/items`, { headers: bearer(alice.access_token) });
    emulator.control.setCreditsPerMinute(0);
    await raw("GET", `${board}/items`, { headers: bearer(alice.access_token) });
    await raw("POST", cards, json(alice.access_token, { data: {} }));
    await raw("GET", `${cards}/${created.id}`, { headers: bearer(alice.access_token) });
    emulator.control.setCreditsPerMinute(100_000);
    clock.advance(60_000);
    await raw("DELETE", `${cards}/${created.id}`, { headers: bearer(alice.access_token) });
    await raw("DELETE", `${cards}/${created.id}`, { headers: bearer(alice.access_token) });
    const revoke = { clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret };
    await raw("POST", "/v2/oauth/revoke", json("", { accessToken: "nope", ...revoke }));
    await raw("POST", "/v2/oauth/revoke", json("", { accessToken: bob.access_token, ...revoke }));
    await raw("POST", "/v2/oauth/revoke", json("", {}));
    await raw("POST", `/v1/oauth/revoke?access_token=${alice.access_token}`);
    await raw("POST", "/v1/oauth/revoke?access_token=nope");

    const log = emulator.control.requests();
    const served = new Set(log.map((entry) => `${entry.method} ${templateOf(entry.path)} ${entry.status}`));
    expect([...served].sort()).toEqual(
      [
        "POST /v1/oauth/token 200",
        "POST /v1/oauth/token 400",
        "POST /v1/oauth/token 401",
        "GET /v1/oauth-token 200",
        "GET /v1/oauth-token 400",
        "GET /v1/oauth-token 401",
        "POST /v2/oauth/revoke 204",
        "POST /v2/oauth/revoke 400",
        "POST /v2/oauth/revoke 404",
        "POST /v1/oauth/revoke 204",
        "POST /v1/oauth/revoke 400",
        "POST /v2/boards/{board_id}/app_cards 201",
        "POST /v2/boards/{board_id}/app_cards 400",
        "POST /v2/boards/{board_id}/app_cards 401",
        "POST /v2/boards/{board_id}/app_cards 404",
        "POST /v2/boards/{board_id}/app_cards 429",
        "GET /v2/boards/{board_id}/app_cards/{item_id} 200",
        "GET /v2/boards/{board_id}/app_cards/{item_id} 401",
        "GET /v2/boards/{board_id}/app_cards/{item_id} 404",
        "GET /v2/boards/{board_id}/app_cards/{item_id} 429",
        "PATCH /v2/boards/{board_id}/app_cards/{item_id} 200",
        "PATCH /v2/boards/{board_id}/app_cards/{item_id} 400",
        "PATCH /v2/boards/{board_id}/app_cards/{item_id} 404",
        "PATCH /v2/boards/{board_id}/app_cards/{item_id} 409",
        "DELETE /v2/boards/{board_id}/app_cards/{item_id} 204",
        "DELETE /v2/boards/{board_id}/app_cards/{item_id} 404",
        "GET /v2/boards/{board_id}/items 200",
        "GET /v2/boards/{board_id}/items 400",
        "GET /v2/boards/{board_id}/items 401",
        "GET /v2/boards/{board_id}/items 404",
        "GET /v2/boards/{board_id}/items 429",
        "GET /v2/boards/{board_id}/items 500",
        "GET /v2/boards/{board_id}/items 502",
      ].sort(),
    );
    expect(checkMiroTraffic(log, { requests: false })).toEqual([]);
  });
});

function templateOf(path: string) {
  return path
    .replace(/^\/v2\/boards\/[^/]+/, "/v2/boards/{board_id}")
    .replace(/\/app_cards\/[^/]+$/, "/app_cards/{item_id}");
}

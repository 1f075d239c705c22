import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Checks requests and responses against Miro's official OpenAPI description, so the emulator (and
 * the app's Miro client) fail a test the moment they drift from Miro's public contract.
 *
 * The description is `spec/miro-openapi.json.gz`: a byte-identical gzip of
 * `../shared/specs/miro-openapi.json` (April 2026), vendored so tests run from a fresh clone; gzipped
 * because biome refuses files over 1 MB. OpenAPI 3.0 is not quite JSON Schema, and this copy has
 * gaps, so the schemas are adapted before ajv sees them:
 * - `nullable: true` becomes a `null` type; `example`, `discriminator`, `readOnly`… are dropped;
 *   formats ajv-formats doesn't know (`binary`, odd objects) are dropped.
 * - `oneOf` becomes `anyOf`: the spec's oneOfs have no discriminator and their members require
 *   almost nothing (an app card's `data` matches EmbedData, CardData, AppCardData… at once), so
 *   "exactly one" can never hold.
 * - Strict objects: an object schema that lists its properties and says nothing about others gets
 *   `additionalProperties: false`, so an invented or misspelt field (`cardTheme` instead of
 *   `style.fillColor`) fails. Members of `allOf` are left open, or the combination couldn't match.
 * - The operations refer to `#/components/responses/{400,401,403,404,409,429}`, which this copy
 *   lacks; they are rebuilt from the `ErrorNNN` schemas (or the generic `Error`, which alone allows
 *   the `context` Miro sends with a 400).
 * - Statuses Miro may answer on any route though an operation doesn't list them (400 for a
 *   malformed request, 401, 403, 404, 405, 409, 429, 500, 502, 503) are accepted only with Miro's
 *   error body.
 * - `POST /v1/oauth/token` is not in the description at all; it is added from Miro's OAuth guides
 *   (the "Authorization model"), marked `x-cardbridge-source`.
 */

type Json = Record<string, unknown>;
type Operation = {
  parameters?: Json[];
  requestBody?: { content?: Record<string, { schema?: Json }>; required?: boolean };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Json }> }>;
};

export type SpecProblem = {
  /** Where the problem is: `body`, `query`, or `operation` when the call isn't in the spec. */
  in: "body" | "query" | "operation" | "status";
  /** Dotted path inside the body (`data.status`) or the query parameter's name. */
  field: string;
  message: string;
};

export type SpecCheck = { ok: boolean; template?: string; problems: SpecProblem[] };

const SPEC_ID = "https://cardbridge.local/miro-openapi.json";
const SPEC_FILE = path.join(import.meta.dirname, "spec", "miro-openapi.json.gz");
const COMMON_ERROR_STATUSES = new Set([400, 401, 403, 404, 405, 409, 429, 500, 502, 503]);
const KNOWN_FORMATS = new Set([
  "date-time",
  "date",
  "uri",
  "uuid",
  "email",
  "int32",
  "int64",
  "float",
  "double",
  "byte",
]);
const DROPPED_KEYWORDS = new Set([
  "nullable",
  "example",
  "examples",
  "discriminator",
  "xml",
  "externalDocs",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

/** The token endpoint, from Miro's OAuth guides (it isn't in the OpenAPI description). */
const TOKEN_ENDPOINT: Operation & Json = {
  "x-cardbridge-source":
    "https://developers.miro.com/reference/authorization-flow-for-expiring-tokens (Authorization model)",
  requestBody: {
    required: true,
    content: {
      "application/x-www-form-urlencoded": {
        schema: {
          type: "object",
          properties: {
            grant_type: { type: "string", enum: ["authorization_code", "refresh_token"] },
            code: { type: "string" },
            redirect_uri: { type: "string" },
            refresh_token: { type: "string" },
            client_id: { type: "string" },
            client_secret: { type: "string" },
          },
          required: ["grant_type", "client_id", "client_secret"],
        },
      },
    },
  },
  responses: {
    "200": {
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: {
              access_token: { type: "string" },
              refresh_token: { type: "string" },
              expires_in: { type: "integer" },
              token_type: { type: "string", enum: ["bearer"] },
              scope: { type: "string" },
              user_id: { type: "string", pattern: "^[0-9]+$" },
              team_id: { type: "string", pattern: "^[0-9]+$" },
            },
            required: ["access_token", "token_type", "scope", "user_id", "team_id"],
          },
        },
      },
    },
    "400": { $ref: "#/components/responses/400" },
    "401": { $ref: "#/components/responses/401" },
  },
};

type Loaded = {
  spec: { paths: Record<string, Record<string, Operation>>; components: { parameters?: Record<string, Json> } };
  routes: { method: string; template: string; pattern: RegExp; operation: Operation }[];
  ajv: Ajv;
  cache: Map<string, ValidateFunction>;
};

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const spec = JSON.parse(gunzipSync(readFileSync(SPEC_FILE)).toString("utf8"));
  spec.paths["/v1/oauth/token"] = { post: TOKEN_ENDPOINT };

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const definitions: Json = {};
  for (const [name, schema] of Object.entries(spec.components.schemas as Record<string, Json>)) {
    definitions[name] = toJsonSchema(schema, false);
  }
  ajv.addSchema({ $id: SPEC_ID, definitions });

  const routes: Loaded["routes"] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, Operation>>)) {
    const source = template
      .split("/")
      .map((segment) => (/^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    for (const [method, operation] of Object.entries(item)) {
      if (method === "parameters" || typeof operation !== "object") continue;
      routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), operation });
    }
  }
  loaded = { spec, routes, ajv, cache: new Map() };
  return loaded;
}

/** OpenAPI 3.0 schema object → JSON Schema for ajv (see the notes at the top of the file). */
export function toJsonSchema(node: unknown, inAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((child) => toJsonSchema(child, inAllOf));
  if (!node || typeof node !== "object") return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.replace("#/components/schemas/", `${SPEC_ID}#/definitions/`);
    } else if (key === "format") {
      if (typeof value === "string" && KNOWN_FORMATS.has(value)) out.format = value;
    } else if (key === "oneOf" || key === "anyOf") {
      out.anyOf = (value as unknown[]).map((child) => toJsonSchema(child, false));
    } else if (key === "allOf") {
      out.allOf = (value as unknown[]).map((child) => toJsonSchema(child, true));
    } else if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, child]) => [name, toJsonSchema(child, false)]),
      );
    } else if (key === "items" || key === "not" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = toJsonSchema(value, false);
    } else {
      out[key] = value;
    }
  }
  if (source.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: "null" }] };
  }
  const isObject = out.type === "object" || (out.type === undefined && out.properties !== undefined);
  if (isObject && out.properties && !("additionalProperties" in source) && !inAllOf) {
    out.additionalProperties = false;
  }
  return out;
}

/** The spec's template for a concrete path (`/v2/boards/uXjV…=/app_cards/345…` → `…/{board_id}/app_cards/{item_id}`). */
export function findMiroOperation(method: string, pathOrTemplate: string) {
  const { routes } = load();
  const upper = method.toUpperCase();
  const pathname = pathOrTemplate.split("?")[0] ?? pathOrTemplate;
  const byTemplate = routes.find((route) => route.method === upper && route.template === pathname);
  if (byTemplate) return byTemplate;
  // Spec order decides between templates that match the same path (…/{board_id}/items is first).
  return routes.find((route) => route.method === upper && route.pattern.test(pathname));
}

/**
 * Checks a request the app (or a test) sends to Miro: its query parameters and JSON (or form) body.
 * `path` may be the spec's template or a concrete path.
 */
export function validateMiroRequest(
  method: string,
  path: string,
  request: { query?: URLSearchParams | Record<string, string>; body?: unknown } = {},
): SpecCheck {
  const route = findMiroOperation(method, path);
  if (!route) return notInSpec(method, path);
  const problems: SpecProblem[] = [];
  const query = request.query instanceof URLSearchParams ? request.query : new URLSearchParams(request.query ?? {});
  const declared = new Set<string>();
  for (const raw of route.operation.parameters ?? []) {
    const parameter = resolveParameter(raw);
    if (parameter.in !== "query") continue;
    const name = String(parameter.name);
    declared.add(name);
    const value = query.get(name);
    if (value === null) {
      if (parameter.required) problems.push({ in: "query", field: name, message: "is required" });
      continue;
    }
    problems.push(...checkQueryValue(name, value, (parameter.schema ?? {}) as Json));
  }
  for (const name of query.keys()) {
    // `access_token` is Miro's documented alternative to the Authorization header.
    if (!declared.has(name) && name !== "access_token") {
      problems.push({ in: "query", field: name, message: "is not a parameter of this operation" });
    }
  }
  const content = route.operation.requestBody?.content;
  if (content) {
    const [mediaType] = Object.keys(content);
    const schema = mediaType ? content[mediaType]?.schema : undefined;
    if (request.body === undefined) {
      if (route.operation.requestBody?.required) problems.push({ in: "body", field: "", message: "is required" });
    } else if (schema) {
      const body = request.body instanceof URLSearchParams ? Object.fromEntries(request.body) : request.body;
      problems.push(...runSchema(`${route.method} ${route.template} request`, schema, body));
    }
  } else if (request.body !== undefined && request.body !== "") {
    problems.push({ in: "body", field: "", message: "this operation takes no body" });
  }
  return { ok: problems.length === 0, template: route.template, problems };
}

/** Checks a response Miro (or the emulator) gave: its status is one the operation can answer, its body the schema's. */
export function validateMiroResponse(method: string, path: string, status: number, body: unknown): SpecCheck {
  const route = findMiroOperation(method, path);
  if (!route) return notInSpec(method, path);
  const responses = route.operation.responses ?? {};
  const declared = responses[String(status)] ?? (status >= 200 && status < 300 ? undefined : responses.default);
  let schema: Json | undefined;
  if (declared) {
    schema = declared.$ref ? errorResponseSchema(status) : firstSchema(declared.content);
    if (!schema && status >= 400) schema = genericError();
  } else if (COMMON_ERROR_STATUSES.has(status)) {
    schema = errorResponseSchema(status);
  } else {
    const message = `status ${status} is not among the operation's responses (${Object.keys(responses).join(", ")})`;
    return { ok: false, template: route.template, problems: [{ in: "status", field: "", message }] };
  }
  const empty = body === undefined || body === null || body === "";
  if (status === 204 || (status < 300 && !schema)) {
    // No content: 204 answers with none (the spec's `{type: object}` for DELETE's 204 describes nothing).
    return empty || status !== 204
      ? { ok: true, template: route.template, problems: [] }
      : {
          ok: false,
          template: route.template,
          problems: [{ in: "body", field: "", message: "204 must have no body" }],
        };
  }
  const problems = schema ? runSchema(`${route.method} ${route.template} ${status}`, schema, body) : [];
  return { ok: problems.length === 0, template: route.template, problems };
}

/** Throws with every problem listed: for tests, so drift fails them with a readable message. */
export function assertMiroResponse(method: string, path: string, status: number, body: unknown) {
  const check = validateMiroResponse(method, path, status, body);
  if (!check.ok) throw new Error(`${method} ${path} → ${status} breaks Miro's spec:\n${describeProblems(check)}`);
}

export function assertMiroRequest(method: string, path: string, request: Parameters<typeof validateMiroRequest>[2]) {
  const check = validateMiroRequest(method, path, request);
  if (!check.ok) throw new Error(`${method} ${path} request breaks Miro's spec:\n${describeProblems(check)}`);
}

export function describeProblems(check: SpecCheck) {
  return check.problems.map((p) => `  ${p.in}${p.field ? ` ${p.field}` : ""}: ${p.message}`).join("\n");
}

/** The rate-limit level the spec's description gives an operation ("Rate limiting … Level N"). */
export function miroRateLimitLevel(method: string, template: string): number | undefined {
  const route = findMiroOperation(method, template);
  const description = String((route?.operation as Json | undefined)?.description ?? "");
  const match = /Rate limiting<\/h3>.*?Level\s*(\d)/s.exec(description);
  return match ? Number(match[1]) : undefined;
}

function notInSpec(method: string, path: string): SpecCheck {
  return { ok: false, problems: [{ in: "operation", field: "", message: `${method} ${path} is not in Miro's spec` }] };
}

function resolveParameter(raw: Json): Json {
  const ref = raw.$ref;
  if (typeof ref !== "string") return raw;
  const name = ref.replace("#/components/parameters/", "");
  return load().spec.components.parameters?.[name] ?? raw;
}

/**
 * Query values arrive as strings: numbers and booleans are read before checking. The spec types
 * `limit` as a string with `minimum`/`maximum` (10–50), which JSON Schema would ignore on a string,
 * so numeric bounds on a string parameter are checked against its numeric value.
 */
function checkQueryValue(name: string, value: string, schema: Json): SpecProblem[] {
  const type = schema.type;
  const numeric = Number(value);
  if ((type === "integer" || type === "number") && (value.trim() === "" || Number.isNaN(numeric))) {
    return [{ in: "query", field: name, message: `must be a ${type}` }];
  }
  if (type === "string" && (schema.minimum !== undefined || schema.maximum !== undefined)) {
    if (!/^-?\d+$/.test(value)) return [{ in: "query", field: name, message: "must be a whole number" }];
    if (typeof schema.minimum === "number" && numeric < schema.minimum) {
      return [{ in: "query", field: name, message: `must be >= ${schema.minimum}` }];
    }
    if (typeof schema.maximum === "number" && numeric > schema.maximum) {
      return [{ in: "query", field: name, message: `must be <= ${schema.maximum}` }];
    }
  }
  const typed = type === "integer" || type === "number" ? numeric : type === "boolean" ? value === "true" : value;
  const { minimum: _min, maximum: _max, ...rest } = schema;
  const checked = type === "string" ? rest : schema;
  return runSchema(`query ${name}`, checked, typed).map((p) => ({ ...p, in: "query", field: name }));
}

function runSchema(key: string, schema: Json, value: unknown): SpecProblem[] {
  const { ajv, cache } = load();
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema, false) as Json);
    cache.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map(toProblem);
}

function toProblem(error: ErrorObject): SpecProblem {
  const segments = error.instancePath.split("/").filter(Boolean);
  const params = error.params as Record<string, unknown>;
  if (typeof params.additionalProperty === "string") segments.push(params.additionalProperty);
  if (typeof params.missingProperty === "string") segments.push(params.missingProperty);
  let message = error.message ?? "is invalid";
  if (Array.isArray(params.allowedValues)) message += `: ${params.allowedValues.join(", ")}`;
  return { in: "body", field: segments.join("."), message };
}

function firstSchema(content: Record<string, { schema?: Json }> | undefined): Json | undefined {
  if (!content) return undefined;
  return (content["application/json"] ?? Object.values(content)[0])?.schema;
}

/** The missing `components/responses/NNN`, rebuilt from the spec's own error schemas. */
function errorResponseSchema(status: number): Json {
  const named = `Error${status}`;
  const { spec } = load();
  const schemas = (spec.components as { schemas: Record<string, unknown> }).schemas;
  const alternatives: Json[] = [{ $ref: "#/components/schemas/Error" }];
  if (named in schemas) alternatives.unshift({ $ref: `#/components/schemas/${named}` });
  return { anyOf: alternatives };
}

function genericError(): Json {
  return { $ref: "#/components/schemas/Error" };
}

/** A call as the emulator's request log keeps it (see request-log.ts). */
export type RecordedCall = {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number | null;
  response: unknown;
};

/**
 * Holds recorded traffic to the spec: each request, and each answer that was given. Returns one
 * line per problem, naming the call; empty when everything conforms. `requests: false` checks
 * only the answers (for tests that send malformed requests on purpose). Any test that drives the app
 * against the emulator can end with `expect(checkMiroTraffic(control.requests())).toEqual([])`.
 */
export function checkMiroTraffic(calls: RecordedCall[], { requests = true }: { requests?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const call of calls) {
    const name = `${call.method} ${call.path}`;
    const request = validateMiroRequest(call.method, call.path, { query: call.query, body: call.body });
    if (requests && !request.ok) lines.push(`${name} request:\n${describeProblems(request)}`);
    if (call.status === null) continue;
    const response = validateMiroResponse(call.method, call.path, call.status, call.response);
    if (!response.ok) lines.push(`${name} → ${call.status}:\n${describeProblems(response)}`);
  }
  return lines;
}

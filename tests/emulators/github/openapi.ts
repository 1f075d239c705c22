import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * Checks emulator traffic against GitHub's own OpenAPI description (`@octokit/openapi`,
 * api.github.com), so the emulator cannot drift from the real contract without a test failing.
 *
 * The description is OpenAPI 3.0: `nullable: true` is rewritten to JSON Schema (`type: [t, "null"]`,
 * or `anyOf [..., null]`) once at load, and `discriminator` is left to `oneOf`, which already decides.
 */

type Json = Record<string, unknown>;
type Operation = { parameters?: Json[]; requestBody?: Json; responses: Record<string, Json> };
type OpenApi = { paths: Record<string, Record<string, Operation>>; components: Json };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);

let loaded: { spec: OpenApi; ajv: Ajv; coercing: Ajv } | undefined;
const compiled = new Map<string, ValidateFunction>();

/** Rewrites OpenAPI 3.0's `nullable` into JSON Schema, in place. */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteNullable(item);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  for (const value of Object.values(schema)) rewriteNullable(value);
  if (schema.nullable !== true) return;
  delete schema.nullable;
  if (typeof schema.type === "string") {
    schema.type = [schema.type, "null"];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    return;
  }
  // No `type` (oneOf / anyOf / allOf / $ref): null is allowed beside whatever the rest allows.
  const rest = { ...schema };
  for (const key of Object.keys(schema)) delete schema[key];
  schema.anyOf = [rest, { type: "null" }];
}

function load() {
  if (loaded) return loaded;
  const file = path.join(
    path.dirname(require.resolve("@octokit/openapi/package.json")),
    "generated",
    "api.github.com.json",
  );
  const spec = JSON.parse(readFileSync(file, "utf8")) as OpenApi;
  rewriteNullable(spec.paths);
  rewriteNullable(spec.components);
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, coerceTypes });
    addFormats(ajv);
    ajv.addSchema({ $id: "github", components: spec.components, paths: spec.paths } as Json);
    return ajv;
  };
  loaded = { spec, ajv: make(false), coercing: make(true) };
  return loaded;
}

/** A JSON pointer into the loaded description. */
function pointer(...parts: string[]) {
  return `github#/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

function resolveRef<T>(node: unknown): T {
  const { spec } = load();
  let current = node as Json;
  while (current && typeof current.$ref === "string") {
    const parts = (current.$ref as string).replace(/^#\//, "").split("/");
    let target: unknown = spec;
    for (const part of parts) target = (target as Json)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
    current = target as Json;
  }
  return current as T;
}

function validatorFor(
  key: string,
  schemaRef: string,
  coercing = false,
  schema: Json = { $ref: schemaRef },
): ValidateFunction {
  const cacheKey = `${coercing}:${key}`;
  let validate = compiled.get(cacheKey);
  if (!validate) {
    const { ajv, coercing: coerce } = load();
    validate = (coercing ? coerce : ajv).compile(schema);
    compiled.set(cacheKey, validate);
  }
  return validate;
}

function operationOrThrow(method: string, pathTemplate: string): Operation {
  const operation = load().spec.paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation) throw new Error(`GitHub's OpenAPI description has no ${method.toUpperCase()} ${pathTemplate}`);
  return operation;
}

function explain(errors: ValidateFunction["errors"]): string {
  return (errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`)
    .join("\n  ");
}

/** The path template (`/repos/{owner}/{repo}/issues/{issue_number}`) a concrete path matches; the most literal wins. */
export function githubPathTemplate(method: string, concretePath: string): string | undefined {
  const { spec } = load();
  let best: { template: string; params: number } | undefined;
  for (const [template, operations] of Object.entries(spec.paths)) {
    if (!operations[method.toLowerCase()]) continue;
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    if (!new RegExp(`^${source}$`).test(concretePath)) continue;
    const params = (template.match(/\{/g) ?? []).length;
    if (!best || params < best.params) best = { template, params };
  }
  return best?.template;
}

/**
 * Validates a response body against the documented schema for that operation and status; throws
 * with the differences. An undocumented status is drift too.
 */
export function validateGithubResponse(method: string, pathTemplate: string, status: number, body: unknown): void {
  const operation = operationOrThrow(method, pathTemplate);
  const response = operation.responses[String(status)];
  if (!response) {
    throw new Error(
      `${method.toUpperCase()} ${pathTemplate} documents no ${status} response (has ${Object.keys(operation.responses).join(", ")})`,
    );
  }
  const resolved = resolveRef<{ content?: Record<string, { schema?: unknown }> }>(response);
  const hasSchema = resolved.content?.["application/json"]?.schema !== undefined;
  if (!hasSchema) {
    if (body !== undefined && body !== null && body !== "")
      throw new Error(`${method.toUpperCase()} ${pathTemplate} ${status} should have no body`);
    return;
  }
  // Point at the schema inside the (possibly shared) response object, so refs resolve in place.
  const schemaRef =
    typeof (response as Json).$ref === "string"
      ? `github${(response as { $ref: string }).$ref}/content/application~1json/schema`
      : pointer(
          "paths",
          pathTemplate,
          method.toLowerCase(),
          "responses",
          String(status),
          "content",
          "application/json",
          "schema",
        );
  const validate = validatorFor(`res ${method} ${pathTemplate} ${status}`, schemaRef);
  if (!validate(body)) {
    throw new Error(
      `${method.toUpperCase()} ${pathTemplate} ${status} does not match GitHub's schema:\n  ${explain(validate.errors)}`,
    );
  }
}

/**
 * Validates a request: its JSON body against `requestBody`, and its query parameters against the
 * declared parameters (undeclared ones are drift). Throws with the differences.
 */
export function validateGithubRequest(
  method: string,
  pathTemplate: string,
  request: { query?: Record<string, string>; body?: unknown },
): void {
  const operation = operationOrThrow(method, pathTemplate);
  const problems: string[] = [];
  const parameters = (operation.parameters ?? []).map((p) => ({
    ref: p,
    param: resolveRef<{ name: string; in: string; schema?: unknown }>(p),
  }));
  for (const [name, value] of Object.entries(request.query ?? {})) {
    const index = parameters.findIndex(({ param }) => param.in === "query" && param.name === name);
    const found = parameters[index];
    if (!found) {
      problems.push(`query parameter ${name} is not documented`);
      continue;
    }
    const schemaRef =
      typeof found.ref.$ref === "string"
        ? `github${found.ref.$ref as string}/schema`
        : pointer("paths", pathTemplate, method.toLowerCase(), "parameters", String(index), "schema");
    // Query values arrive as strings: validate with coercion, wrapped as a property so it can coerce.
    const validate = validatorFor(`param ${method} ${pathTemplate} ${name}`, "", true, {
      type: "object",
      properties: { value: { $ref: schemaRef } },
    });
    if (!validate({ value })) problems.push(`query ${name}=${value}: ${explain(validate.errors)}`);
  }
  if (request.body !== undefined) {
    const content = resolveRef<{ content?: Record<string, unknown> }>(operation.requestBody ?? {}).content;
    if (!content?.["application/json"]) problems.push("a body was sent but none is documented");
    else {
      const validate = validatorFor(
        `req ${method} ${pathTemplate}`,
        pointer("paths", pathTemplate, method.toLowerCase(), "requestBody", "content", "application/json", "schema"),
      );
      if (!validate(request.body)) problems.push(`body: ${explain(validate.errors)}`);
    }
  }
  if (problems.length)
    throw new Error(
      `${method.toUpperCase()} ${pathTemplate} request does not match GitHub's description:\n  ${problems.join("\n  ")}`,
    );
}

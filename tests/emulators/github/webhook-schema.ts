import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * Checks webhook payloads against `@octokit/webhooks-schemas` (JSON Schema draft-07, one definition
 * per event and action, e.g. `issues$edited`, with `additionalProperties: false` throughout), so a
 * payload the emulator sends is one GitHub could have sent.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): Ajv {
  if (ajv) return ajv;
  const schema = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-schemas/schema.json"), "utf8")) as Record<
    string,
    unknown
  >;
  ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // Without the root `oneOf` over every event: a $ref into the root would compile all of them (seconds).
  const { oneOf: _everyEvent, ...definitions } = schema;
  ajv.addSchema({ ...definitions, $id: "webhooks" });
  return ajv;
}

/** Throws, listing the differences, unless `payload` is a valid `event` payload for its action. */
export function validateWebhookPayload(event: string, payload: { action?: string } & Record<string, unknown>): void {
  const name = payload.action ? `${event}$${payload.action}` : event;
  let validate = compiled.get(name);
  if (!validate) {
    validate = load().compile({ $ref: `webhooks#/definitions/${name}` });
    compiled.set(name, validate);
  }
  if (!validate(payload)) {
    const problems = (validate.errors ?? [])
      .slice(0, 10)
      .map((e) => `${e.instancePath || "(root)"} ${e.message} ${JSON.stringify(e.params)}`)
      .join("\n  ");
    throw new Error(`${name} payload does not match @octokit/webhooks-schemas:\n  ${problems}`);
  }
}

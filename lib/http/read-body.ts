import type { z } from "zod";
import { ApiError } from "./api-error";

/** Panel requests are small; webhooks carry whole issues (GitHub caps payloads at 25 MB, ours far less). */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads a request body as bytes, answering 413 before buffering more than `limit` bytes: a
 * declared Content-Length over the limit is refused unread, a chunked body is cut off as it streams.
 */
export async function readBody(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const tooLarge = () => new ApiError("payload_too_large", `Request body is larger than ${limit} bytes`);
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a JSON body under the size limit and validates it; bad JSON is a 400, a bad shape a 422. */
export async function readJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  limit = DEFAULT_BODY_LIMIT,
): Promise<z.output<Schema>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json");
  }
  const raw = await readBody(request, limit);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError("bad_request", "Request body is not valid JSON");
  }
  return schema.parseAsync(parsed);
}

import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, handleApiError } from "@/lib/http/api-error";
import { readBody, readJson } from "@/lib/http/read-body";
import { withHandler } from "@/lib/http/with-handler";

function streamOf(chunks: number, chunkSize: number) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= chunks) return controller.close();
      sent += 1;
      controller.enqueue(new Uint8Array(chunkSize));
    },
  });
  return { stream, sent: () => sent };
}

describe("request bodies", () => {
  it("answers 413 from a declared Content-Length over the limit without reading", async () => {
    const request = new Request("http://x/api", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": "1000000" },
    });
    await expect(readBody(request, 1024)).rejects.toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("stops reading a streamed body as soon as it passes the limit", async () => {
    const { stream, sent } = streamOf(1000, 1024);
    const request = new Request("http://x/api", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readBody(request, 4 * 1024)).rejects.toMatchObject({ status: 413 });
    expect(sent()).toBeLessThan(10);
  });

  it("reads bodies within the limit", async () => {
    const request = new Request("http://x/api", { method: "POST", body: "hello" });
    expect((await readBody(request, 5)).toString()).toBe("hello");
  });

  it("validates JSON: bad JSON is a 400, a bad shape a 422 naming the field", async () => {
    const schema = z.object({ number: z.number().int().positive() });
    const post = (body: string, type = "application/json") =>
      new Request("http://x/api", { method: "POST", body, headers: { "content-type": type } });
    await expect(readJson(post("{nope"), schema)).rejects.toMatchObject({ status: 400 });
    await expect(readJson(post('{"number":1}', "text/plain"), schema)).rejects.toMatchObject({ status: 415 });
    const response = handleApiError(await readJson(post('{"number":-1}'), schema).catch((e: unknown) => e));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("unprocessable_entity");
    expect(body.error.issues[0].path).toBe("number");
  });
});

describe("error responses", () => {
  it("keep an ApiError's status and code", async () => {
    const response = handleApiError(new ApiError("conflict", "Card is already linked"));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: "conflict", message: "Card is already linked" } });
  });

  it("turn unknown errors into a bare 500 and log the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = withHandler(() => {
      throw new Error("connect ECONNREFUSED postgres://admin:hunter2@db");
    });
    const response = await handler(new Request("http://x/api"));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("ECONNREFUSED");
    expect(JSON.parse(text).error.code).toBe("internal_server_error");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("pass route params to the handler", async () => {
    const handler = withHandler<{ cardId: string }>(({ params }) => Response.json({ id: params.cardId }));
    const response = await handler(new Request("http://x/api"), { params: Promise.resolve({ cardId: "3458764" }) });
    expect(await response.json()).toEqual({ id: "3458764" });
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A tiny router for the emulators: plain node:http, so the emulators behave like remote services
 * (real sockets, real headers) and nothing of the app's framework leaks into them.
 */

export type EmulatorRequest = {
  method: string;
  url: URL;
  path: string;
  params: Record<string, string>;
  headers: IncomingMessage["headers"];
  raw: IncomingMessage;
  /** The whole body as bytes (read before the handler runs). */
  body: Buffer;
  /** The body parsed as JSON or as a form, by its content type; undefined when empty or unparseable. */
  json<T = unknown>(): T | undefined;
  form(): URLSearchParams;
};

export type EmulatorReply = {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
};

export type RouteHandler = (
  req: EmulatorRequest,
  res: ServerResponse,
) => Promise<EmulatorReply | undefined> | EmulatorReply | undefined;

/** Runs before every route; may answer itself (return a reply) or let the route run (return undefined). */
export type Middleware = (req: EmulatorRequest, res: ServerResponse) => Promise<EmulatorReply | undefined> | EmulatorReply | undefined;

type Route = { method: string; pattern: RegExp; keys: string[]; handler: RouteHandler };

export class Router {
  private routes: Route[] = [];
  private middlewares: Middleware[] = [];

  use(middleware: Middleware) {
    this.middlewares.push(middleware);
    return this;
  }

  /** `path` like `/v2/boards/:boardId/app_cards/:itemId`; a trailing `*` param matches the rest. */
  on(method: string, path: string, handler: RouteHandler) {
    const keys: string[] = [];
    const source = path
      .split("/")
      .map((segment) => {
        if (segment.startsWith(":")) {
          keys.push(segment.slice(1));
          return "([^/]+)";
        }
        if (segment === "*") {
          keys.push("rest");
          return "(.*)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  get = (path: string, handler: RouteHandler) => this.on("GET", path, handler);
  post = (path: string, handler: RouteHandler) => this.on("POST", path, handler);
  patch = (path: string, handler: RouteHandler) => this.on("PATCH", path, handler);
  put = (path: string, handler: RouteHandler) => this.on("PUT", path, handler);
  delete = (path: string, handler: RouteHandler) => this.on("DELETE", path, handler);

  /** Finds the route for a method and path; `allowed` lists methods of routes matching the path alone. */
  match(method: string, path: string) {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(found[i + 1] ?? "");
      });
      return { route, params, allowed };
    }
    return { route: undefined, params: {}, allowed };
  }

  async handle(raw: IncomingMessage, res: ServerResponse, notFound: RouteHandler) {
    const url = new URL(raw.url ?? "/", "http://emulator.local");
    const body = await readAll(raw);
    const req: EmulatorRequest = {
      method: (raw.method ?? "GET").toUpperCase(),
      url,
      path: url.pathname,
      params: {},
      headers: raw.headers,
      raw,
      body,
      json<T>() {
        if (body.length === 0) return undefined;
        try {
          return JSON.parse(body.toString("utf8")) as T;
        } catch {
          return undefined;
        }
      },
      form() {
        return new URLSearchParams(body.toString("utf8"));
      },
    };
    for (const middleware of this.middlewares) {
      const reply = await middleware(req, res);
      if (reply) return send(res, reply);
      if (res.writableEnded || res.headersSent) return;
    }
    const { route, params } = this.match(req.method, req.path);
    req.params = params;
    const reply = await (route ? route.handler(req, res) : notFound(req, res));
    if (reply && !res.writableEnded) send(res, reply);
  }
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function send(res: ServerResponse, reply: EmulatorReply) {
  if (res.writableEnded) return;
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let payload: string | Buffer | undefined;
  if (reply.body === undefined || reply.body === null) payload = undefined;
  else if (Buffer.isBuffer(reply.body) || typeof reply.body === "string") payload = reply.body;
  else {
    payload = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["content-type"] = "application/json; charset=utf-8";
    }
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

export type RunningServer = { url: string; port: number; server: Server; close(): Promise<void> };

/** Listens on 127.0.0.1 (port 0 = any free port) and returns the base URL. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port = 0,
  host = "127.0.0.1",
): Promise<RunningServer> {
  const server = createServer(handler);
  // Keep-alive sockets would hold close() open; the emulators are short-lived test servers.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { type EmulatorRequest, listen, Router, send } from "../shared/router";
import type { GithubEmulatorContext, GithubEmulatorOptions } from "./context";
import { createControl, type GithubControl, mountControl, type RequestLogEntry } from "./control";
import { bearerToken, githubError, RateLimits } from "./http";
import { mountIssuePage } from "./issue-page";
import { mountOAuth } from "./oauth";
import { RestFaults } from "./rest-faults";
import { mountIssues } from "./rest-issues";
import { mountRepos } from "./rest-repos";
import { seed } from "./seed";
import { Shapes } from "./shapes";
import { GithubState } from "./state";
import { WebhookDispatcher } from "./webhooks";

/**
 * The GitHub emulator: one server that is both api.github.com (REST at the root: /user,
 * /repos/..., /search/issues) and github.com (OAuth at /login/oauth/..., issue pages at
 * /{owner}/{repo}/issues/{number}), so the app gets the same URL as `GITHUB_API_URL` and
 * `GITHUB_WEB_URL`. It also delivers the GitHub App's webhooks to `webhookUrl`.
 *
 *   const github = await startGithubEmulator({ clientId, clientSecret, webhookSecret, webhookUrl });
 *   const { token } = github.control.issueToken("octocat");
 *   new Octokit({ auth: token, baseUrl: github.url });
 */

export type { GithubEmulatorOptions } from "./context";
export type { GithubControl } from "./control";

export type GithubEmulator = {
  url: string;
  port: number;
  state: GithubState;
  control: GithubControl;
  close(): Promise<void>;
};

/** API paths that are not web pages: everything else 404s as HTML for browsers. */
const API_PREFIXES = [
  "/repos/",
  "/user",
  "/users/",
  "/search/",
  "/applications/",
  "/installation",
  "/_emulator",
  "/login/oauth/access_token",
];

const REDACTED = new Set(["client_secret", "code_verifier", "refresh_token", "code", "access_token"]);

function loggedBody(req: EmulatorRequest): unknown {
  if (req.body.length === 0) return undefined;
  const parsed: Record<string, unknown> | undefined = (req.headers["content-type"] ?? "").includes("json")
    ? req.json<Record<string, unknown>>()
    : Object.fromEntries(req.form());
  if (!parsed || typeof parsed !== "object") return undefined;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, REDACTED.has(k) ? "[redacted]" : v]));
}

export async function startGithubEmulator(options: GithubEmulatorOptions): Promise<GithubEmulator> {
  const state = new GithubState();
  let baseUrl = "";
  const appId = options.appId ?? 1_234_567;
  const shapes = new Shapes(state, () => baseUrl, {
    appId,
    slug: options.appSlug ?? "cardbridge",
    clientId: options.clientId,
  });
  const webhooks = new WebhookDispatcher(state, shapes, {
    url: options.webhookUrl,
    secret: options.webhookSecret,
    appId,
  });
  const rateLimits = new RateLimits(() => state.now());
  const restFaults = new RestFaults(() => state.now());
  const context: GithubEmulatorContext = {
    state,
    shapes,
    options,
    baseUrl: () => baseUrl,
    webhooks,
    rateLimits,
    restFaults,
  };
  const requestLog: RequestLogEntry[] = [];
  const control = createControl(context, requestLog);
  if (options.seed ?? true) seed(state);

  const router = new Router();
  // Every API response carries GitHub's rate-limit and version headers; the log records who asked what.
  router.use((req, res) => {
    const started = Date.now();
    const isApi = API_PREFIXES.some((p) => req.path.startsWith(p)) && !req.path.startsWith("/_emulator");
    const token = bearerToken(req);
    const login = token ? state.accessToken(token)?.login : undefined;
    if (isApi && !req.path.startsWith("/login/")) {
      for (const [name, value] of Object.entries(
        rateLimits.headers(token ?? req.raw.socket.remoteAddress ?? "anonymous"),
      )) {
        res.setHeader(name, value);
      }
      res.setHeader("x-github-api-version-selected", "2022-11-28");
      res.setHeader("x-github-media-type", "github.v3; format=json");
      res.setHeader("x-github-request-id", `${Math.random().toString(16).slice(2, 10).toUpperCase()}:EMU`);
    }
    if (!req.path.startsWith("/_emulator") && !req.path.startsWith("/avatars/")) {
      res.on("finish", () => {
        requestLog.push({
          at: state.timestamp(),
          method: req.method,
          path: req.path,
          query: Object.fromEntries(req.url.searchParams),
          status: res.statusCode,
          login,
          body: loggedBody(req),
          durationMs: Date.now() - started,
        });
      });
    }
    // Injected failures answer before any route, as an overloaded GitHub would.
    return req.path.startsWith("/_emulator") ? undefined : restFaults.take(req, login);
  });
  mountRepos(router, context);
  mountIssues(router, context);
  mountOAuth(router, context);
  mountControl(router, context, control);
  mountIssuePage(router, context);

  const notFound = (req: EmulatorRequest) => {
    // GitHub answers an unknown route, or a known one with the wrong method, with a JSON 404.
    const isApi = API_PREFIXES.some((p) => req.path.startsWith(p)) || !(req.headers.accept ?? "").includes("text/html");
    return isApi
      ? githubError(404, "Not Found")
      : {
          status: 404,
          headers: { "content-type": "text/html; charset=utf-8" },
          body: "<h1>404</h1><p>This is not the web page you are looking for.</p>",
        };
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    router.handle(req, res, notFound).catch((error: unknown) => {
      console.error("[github emulator]", error);
      if (!res.headersSent) send(res, githubError(500, "Server Error"));
      else res.end();
    });
  };
  const running = await listen(handler, options.port ?? 0);
  baseUrl = options.publicUrl?.replace(/\/$/, "") ?? running.url;

  return {
    url: running.url,
    port: running.port,
    state,
    control,
    close: running.close,
  };
}

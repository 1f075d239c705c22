import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, Router, send } from "../shared/router";
import { mountBoard } from "./board/mount";
import { type Clock, systemClock } from "./clock";
import type { MiroEmulatorContext, MiroEmulatorOptions } from "./context";
import { miroErrors } from "./errors";
import { MiroOAuth, mountOAuthRoutes } from "./oauth";
import { CreditLimiter, DEFAULT_CREDITS_PER_MINUTE } from "./rate-limit";
import { mountRestRoutes } from "./rest";
import { seedMiro } from "./seed";
import { MiroState } from "./state";

/**
 * The Miro emulator: Miro's REST API (OAuth, token context, revoke, app cards, board items) and the
 * sandbox board, on one plain node:http server bound to 127.0.0.1.
 */

export type StartMiroEmulatorOptions = MiroEmulatorOptions & {
  /** 0 (default) picks any free port. */
  port?: number;
  /** Bring your own world; a fresh one otherwise. */
  state?: MiroState;
  /** Create the SEED team, users and boards (default true). */
  seed?: boolean;
  /** Replace time (code and token lifetimes, rate-limit windows); the system clock otherwise. */
  clock?: Clock;
};

export type MiroEmulator = {
  url: string;
  state: MiroState;
  context: MiroEmulatorContext;
  oauth: MiroOAuth;
  limiter: CreditLimiter;
  close(): Promise<void>;
};

export async function startMiroEmulator(options: StartMiroEmulatorOptions): Promise<MiroEmulator> {
  const { port = 0, seed = true, clock = systemClock } = options;
  const resolved: Required<MiroEmulatorOptions> = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    appUrl: options.appUrl,
    expiringTokens: options.expiringTokens ?? true,
    creditsPerMinute: options.creditsPerMinute ?? DEFAULT_CREDITS_PER_MINUTE,
  };
  const state = options.state ?? new MiroState();
  if (seed) seedMiro(state);

  let baseUrl = "";
  const oauth = new MiroOAuth(state, resolved, clock);
  const limiter = new CreditLimiter(clock, resolved.creditsPerMinute);
  const context: MiroEmulatorContext = {
    state,
    options: resolved,
    baseUrl: () => baseUrl,
    oauth: { issueCode: (userId, teamId) => oauth.issueCode(userId, teamId) },
  };

  const router = new Router();
  mountOAuthRoutes(router, oauth, state);
  mountRestRoutes(router, { state, options: resolved, oauth, limiter, clock, baseUrl: () => baseUrl });
  mountBoard(router, context);

  const notFound = (req: { method: string; path: string }) => {
    const { allowed } = router.match(req.method, req.path);
    const error = allowed.length > 0 ? miroErrors.methodNotAllowed(allowed) : miroErrors.notFound(`No route ${req.path}`);
    return error.toReply();
  };
  const handler = (raw: IncomingMessage, res: ServerResponse) => {
    router.handle(raw, res, notFound).catch((error: unknown) => {
      // A bug in the emulator: answer like Miro's 500, and say what broke on the console.
      console.error("[miro-emulator]", error);
      send(res, miroErrors.internal().toReply());
    });
  };
  const running = await listen(handler, port);
  baseUrl = running.url;

  return { url: running.url, state, context, oauth, limiter, close: running.close };
}

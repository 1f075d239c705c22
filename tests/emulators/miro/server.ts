import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, Router, send } from "../shared/router";
import { mountAuthorizePage } from "./authorize-page";
import { mountBoard } from "./board/mount";
import { type Clock, systemClock } from "./clock";
import type { MiroEmulatorContext, MiroEmulatorOptions } from "./context";
import { MiroControl, mountControlRoutes } from "./control";
import { miroErrors } from "./errors";
import { faultMiddleware, MiroFaults } from "./faults";
import { bearerToken, MiroOAuth, mountOAuthRoutes } from "./oauth";
import { CreditLimiter, DEFAULT_CREDITS_PER_MINUTE } from "./rate-limit";
import { RequestLog } from "./request-log";
import { mountRestRoutes } from "./rest";
import { seedMiro } from "./seed";
import { MiroState } from "./state";

/**
 * The Miro emulator: Miro's REST API (OAuth, token context, revoke, app cards, board items), the
 * sandbox board, and the control API (`/_emulator/…`), on one plain node:http server bound to
 * 127.0.0.1. Each concern has its file: oauth.ts, rest.ts, rate-limit.ts, faults.ts,
 * request-log.ts, control.ts; openapi.ts holds them all to Miro's OpenAPI description.
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
  /** Replace chance (failure rates, jitter); Math.random otherwise. */
  random?: () => number;
};

export type MiroEmulator = {
  url: string;
  state: MiroState;
  context: MiroEmulatorContext;
  oauth: MiroOAuth;
  limiter: CreditLimiter;
  /** Reset, seed, latency, failures, forced statuses, credit budget, request log. */
  control: MiroControl;
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

  const faults = new MiroFaults(options.random);
  const log = new RequestLog(clock);
  const control = new MiroControl({ state, options: resolved, oauth, limiter, faults, log });

  const router = new Router();
  router.use(log.middleware());
  router.use(
    faultMiddleware({
      faults,
      clock,
      rateHeaders: (req) => {
        try {
          return limiter.peek(oauth.authenticate(bearerToken(req)).userId).headers;
        } catch {
          return {};
        }
      },
      onOutcome: (req, outcome) => log.markOutcome(req, outcome),
    }),
  );
  mountControlRoutes(router, control);
  mountOAuthRoutes(router, oauth, state);
  mountAuthorizePage(router, context);
  mountRestRoutes(router, { state, options: resolved, oauth, limiter, clock, baseUrl: () => baseUrl });
  mountBoard(router, context);

  const notFound = (req: { method: string; path: string }) => {
    const { allowed } = router.match(req.method, req.path);
    const error =
      allowed.length > 0 ? miroErrors.methodNotAllowed(allowed) : miroErrors.notFound(`No route ${req.path}`);
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

  return { url: running.url, state, context, oauth, limiter, control, close: running.close };
}

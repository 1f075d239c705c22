import type { Router } from "../shared/router";
import type { RateLimits } from "./http";
import type { RestFaults } from "./rest-faults";
import type { Shapes } from "./shapes";
import type { GithubState } from "./state";
import type { WebhookDispatcher } from "./webhooks";

/** How the emulated GitHub App is registered. */
export type GithubEmulatorOptions = {
  /** Port to listen on (0 or absent: any free port). The sandbox uses 3020. */
  port?: number;
  /** The GitHub App's OAuth client id and secret. */
  clientId: string;
  clientSecret: string;
  /** Where the app's webhook deliveries go (the app's `/api/webhooks/github`); none: recorded only. */
  webhookUrl?: string;
  webhookSecret: string;
  /** Load seed.ts's organisation, users, repositories and issues. Default true. */
  seed?: boolean;
  /**
   * The app's registered callback URLs. When given, `redirect_uri` must start with one of them, as
   * GitHub requires; when absent any redirect URI is accepted (tests pick their own ports).
   */
  callbackUrls?: string[];
  /**
   * The base URL written into responses (`url`, `html_url`, `Link`), when it differs from the
   * listening address: the sandbox says `http://localhost:3020`. Default: `http://127.0.0.1:<port>`.
   */
  publicUrl?: string;
  /** The GitHub App's numeric id and slug, shown in installations. */
  appId?: number;
  appSlug?: string;
};

export type GithubEmulatorContext = {
  state: GithubState;
  shapes: Shapes;
  options: GithubEmulatorOptions;
  /** The emulator's own base URL once listening (e.g. http://127.0.0.1:3020). */
  baseUrl(): string;
  webhooks: WebhookDispatcher;
  rateLimits: RateLimits;
  restFaults: RestFaults;
};

export type MountFn = (router: Router, context: GithubEmulatorContext) => void;

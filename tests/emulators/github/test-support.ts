import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { githubPathTemplate, validateGithubRequest, validateGithubResponse } from "./openapi";
import { type GithubEmulator, startGithubEmulator } from "./server";

/** Shared by the emulator's tests: a started emulator, a webhook receiver, and a spec-checking fetch. */

export const TEST_APP = {
  clientId: "Iv23liEmulatorTest01",
  clientSecret: "emulator-test-client-secret",
  webhookSecret: "emulator-test-webhook-secret",
};

export function startTestEmulator(
  extra: { webhookUrl?: string; seed?: boolean; callbackUrls?: string[] } = {},
): Promise<GithubEmulator> {
  return startGithubEmulator({ ...TEST_APP, ...extra });
}

export type ReceivedWebhook = {
  headers: IncomingHttpHeaders;
  body: string;
  payload: Record<string, unknown> & { action?: string };
};

/** A tiny local HTTP receiver standing in for the app's webhook route. */
export async function startReceiver(options: { status?: number; delayMs?: number } = {}) {
  const received: ReceivedWebhook[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let status = options.status ?? 202;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      inFlight--;
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body, payload: JSON.parse(body) });
      res.writeHead(status).end();
      for (const waiter of [...waiters]) {
        if (received.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/github`;
  return {
    url,
    received,
    /** The most requests the receiver was handling at one time. */
    maxInFlight: () => maxInFlight,
    setStatus(next: number) {
      status = next;
    },
    /** Resolves once `count` deliveries have arrived in total (fails after two seconds). */
    waitFor(count: number) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} deliveries, got ${received.length}`)), 2000);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    clear() {
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A `fetch` for octokit (`new Octokit({ request: { fetch } })`) that checks every request and
 * response against GitHub's OpenAPI description, collecting problems and the operations it saw.
 */
export function specCheckingFetch() {
  const problems: string[] = [];
  const seen = new Set<string>();
  const fetchAndCheck: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const template = githubPathTemplate(request.method, url.pathname);
    const requestText = init?.body ? String(init.body) : undefined;
    const response = await fetch(request);
    if (!template) {
      problems.push(`${request.method} ${url.pathname} is not in GitHub's description`);
      return response;
    }
    seen.add(`${request.method} ${template} ${response.status}`);
    try {
      validateGithubRequest(request.method, template, {
        query: Object.fromEntries(url.searchParams),
        body: requestText ? JSON.parse(requestText) : undefined,
      });
    } catch (error) {
      problems.push((error as Error).message);
    }
    const text = await response.clone().text();
    try {
      validateGithubResponse(request.method, template, response.status, text ? JSON.parse(text) : undefined);
    } catch (error) {
      problems.push((error as Error).message);
    }
    return response;
  };
  return { fetch: fetchAndCheck, problems, seen };
}

/**
 * `npm run sandbox`: the whole of Cardbridge on this machine, with no account and no network.
 * Starts the Miro and GitHub emulators in this process, then the app (`next dev`, or `next start`
 * of an existing build with --production) with every variable filled in for them, waits until all
 * three answer, and prints the sandbox board's address. Ctrl-C (or SIGTERM) stops everything.
 *
 *   npm run sandbox                         app :3000, Miro :3010, GitHub :3020, data in .data/pglite
 *   npm run sandbox -- --fresh              a new, empty database in a temporary folder
 *   npm run sandbox -- --production         `next start` (run `npm run build` first)
 *
 * PORT, MIRO_EMULATOR_PORT and GITHUB_EMULATOR_PORT move the three servers; PGLITE_DIR the data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SEED as GITHUB_SEED } from "../tests/emulators/github/seed";
import { type GithubEmulator, startGithubEmulator } from "../tests/emulators/github/server";
import { SEED as MIRO_SEED } from "../tests/emulators/miro/seed";
import { type MiroEmulator, startMiroEmulator } from "../tests/emulators/miro/server";
import { SANDBOX_CREDENTIALS } from "./sandbox-credentials";

const READY_TIMEOUT_MS = 90_000;

type Options = { production: boolean; fresh: boolean; appPort: number; miroPort: number; githubPort: number };

function parseOptions(argv: string[]): Options {
  const known = new Set(["--production", "--fresh"]);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) {
    throw new SandboxError(`Unknown option ${unknown.join(" ")}. Use --fresh and/or --production.`);
  }
  return {
    production: argv.includes("--production"),
    fresh: argv.includes("--fresh"),
    appPort: port("PORT", 3000),
    miroPort: port("MIRO_EMULATOR_PORT", 3010),
    githubPort: port("GITHUB_EMULATOR_PORT", 3020),
  };
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new SandboxError(`${name} must be a port number (got "${raw}")`);
  return value;
}

class SandboxError extends Error {}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.production && !existsSync(path.join(".next", "BUILD_ID"))) {
    throw new SandboxError("--production serves an existing build: run `npm run build` first.");
  }
  const appUrl = `http://localhost:${options.appPort}`;
  const miroUrl = `http://localhost:${options.miroPort}`;
  const githubUrl = `http://localhost:${options.githubPort}`;
  const freshDir = options.fresh ? mkdtempSync(path.join(tmpdir(), "cardbridge-sandbox-")) : undefined;
  const pgliteDir = freshDir ? path.join(freshDir, "pglite") : process.env.PGLITE_DIR || ".data/pglite";
  // However the sandbox ends (even on an error before `stop`), a fresh database goes with it.
  if (freshDir) process.once("exit", () => rmSync(freshDir, { recursive: true, force: true }));

  let miro: MiroEmulator | undefined;
  let github: GithubEmulator | undefined;
  let app: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (code: number) => {
    stopping ??= (async () => {
      await stopChild(app);
      await Promise.allSettled([miro?.close(), github?.close()]);
      if (freshDir) rmSync(freshDir, { recursive: true, force: true });
    })().finally(() => process.exit(code));
    return stopping;
  };
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));

  try {
    miro = await startMiroEmulator({
      port: options.miroPort,
      clientId: SANDBOX_CREDENTIALS.miroClientId,
      clientSecret: SANDBOX_CREDENTIALS.miroClientSecret,
      redirectUri: `${appUrl}/api/miro/oauth/callback`,
      appUrl,
    }).catch((error: unknown) => {
      throw portError(error, "the Miro emulator", "MIRO_EMULATOR_PORT", options.miroPort);
    });
    github = await startGithubEmulator({
      port: options.githubPort,
      clientId: SANDBOX_CREDENTIALS.githubClientId,
      clientSecret: SANDBOX_CREDENTIALS.githubClientSecret,
      webhookSecret: SANDBOX_CREDENTIALS.githubWebhookSecret,
      webhookUrl: `${appUrl}/api/webhooks/github`,
    }).catch((error: unknown) => {
      throw portError(error, "the GitHub emulator", "GITHUB_EMULATOR_PORT", options.githubPort);
    });

    // The sandbox is the embedded database's place: a DATABASE_URL from the shell would win over it.
    // NEXTAUTH_URL too: next-auth's base URL defaults to APP_URL, and the sandbox relies on that default.
    const { DATABASE_URL: _database, NEXTAUTH_URL: _nextauth, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      // What `next dev` and `next start` would pick, whatever the shell had.
      NODE_ENV: options.production ? "production" : "development",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(options.appPort),
      APP_URL: appUrl,
      PGLITE_DIR: pgliteDir,
      MIRO_CLIENT_ID: SANDBOX_CREDENTIALS.miroClientId,
      MIRO_CLIENT_SECRET: SANDBOX_CREDENTIALS.miroClientSecret,
      MIRO_API_URL: miroUrl,
      MIRO_SDK_URL: `${miroUrl}/sdk/v2/miro.js`,
      GITHUB_CLIENT_ID: SANDBOX_CREDENTIALS.githubClientId,
      GITHUB_CLIENT_SECRET: SANDBOX_CREDENTIALS.githubClientSecret,
      GITHUB_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.githubWebhookSecret,
      GITHUB_API_URL: githubUrl,
      GITHUB_WEB_URL: githubUrl,
      TOKEN_ENCRYPTION_KEYS: SANDBOX_CREDENTIALS.tokenEncryptionKeys,
      NEXTAUTH_SECRET: SANDBOX_CREDENTIALS.nextAuthSecret,
      CRON_SECRET: SANDBOX_CREDENTIALS.cronSecret,
    };

    const next = path.join("node_modules", ".bin", "next");
    const args = options.production ? ["start", "-p", String(options.appPort)] : ["dev", "-p", String(options.appPort)];
    const child = spawn(next, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    app = child;
    prefixLines(child.stdout, "app │ ", process.stdout);
    prefixLines(child.stderr, "app │ ", process.stderr);
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) => {
        reject(
          new SandboxError(
            `The app stopped (${signal ?? `exit code ${code}`}) before it was ready: see its output above.`,
          ),
        );
      }),
    );
    exited.catch(() => {});

    await Promise.race([
      Promise.all([
        waitUntilAnswering(`${miroUrl}/board`, (status) => status === 200),
        waitUntilAnswering(`${githubUrl}/user`, (status) => status > 0),
        waitUntilAnswering(`${appUrl}/api/health`, (status) => status === 200),
      ]),
      exited,
    ]);
    child.once("exit", (code) => {
      if (stopping) return;
      console.error(`The app stopped (exit code ${code}); stopping the sandbox.`);
      void stop(code ?? 1);
    });

    console.log(
      [
        "",
        "Cardbridge sandbox is up.",
        `  Open ${miroUrl}/board`,
        "",
        `  app            ${appUrl}${options.production ? " (production build)" : ""}`,
        `  Miro emulator  ${miroUrl}  (board, REST API, Web SDK stand-in)`,
        `  GitHub         ${githubUrl}  (sign in as ${Object.values(GITHUB_SEED.users).join(", ")})`,
        `  database       ${freshDir ? `${pgliteDir} (fresh, removed on exit)` : pgliteDir}`,
        `  Miro users     ${MIRO_SEED.alice.name}, ${MIRO_SEED.bob.name} (switch on the board)`,
        "",
        "Ctrl-C stops everything.",
        "",
      ].join("\n"),
    );
    // In development Next compiles a page on its first request: do the board's two now.
    if (!options.production) {
      for (const page of ["/headless", "/panel"]) fetch(`${appUrl}${page}`).catch(() => {});
    }
  } catch (error) {
    console.error(error instanceof SandboxError ? `sandbox: ${error.message}` : error);
    await stop(1);
  }
}

/** Polls a URL until `accept(status)`; network errors (0) count as not yet. */
async function waitUntilAnswering(url: string, accept: (status: number) => boolean) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const status = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 0,
    );
    if (accept(status)) return;
    if (Date.now() > deadline)
      throw new SandboxError(`${url} did not answer in time (last status ${status || "none"})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** SIGTERM, then SIGKILL if the app has not exited after a few seconds. */
async function stopChild(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function portError(error: unknown, what: string, variable: string, value: number): Error {
  if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    return new SandboxError(
      `Port ${value} is taken, so ${what} can't start. Is a sandbox already running? Set ${variable} to move it.`,
    );
  }
  return error as Error;
}

function prefixLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WritableStream) {
  let pending = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) out.write(`${prefix}${line}\n`);
  });
  stream?.on("end", () => {
    if (pending) out.write(`${prefix}${pending}\n`);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof SandboxError ? `sandbox: ${error.message}` : error);
  process.exit(1);
});

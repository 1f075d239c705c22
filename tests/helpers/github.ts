import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { type GithubEmulator, startGithubEmulator } from "../emulators/github/server";

/** Starts a GitHub emulator for this test file and points GITHUB_API_URL and GITHUB_WEB_URL at it. */
export function withGithubEmulator(options: { webhookUrl?: string } = {}): { current(): GithubEmulator } {
  let emulator: GithubEmulator | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    emulator = await startGithubEmulator({
      clientId: process.env.GITHUB_CLIENT_ID!,
      clientSecret: process.env.GITHUB_CLIENT_SECRET!,
      webhookSecret: process.env.GITHUB_WEBHOOK_SECRET!,
      webhookUrl: options.webhookUrl,
    });
    for (const name of ["GITHUB_API_URL", "GITHUB_WEB_URL"]) {
      saved[name] = process.env[name];
      process.env[name] = emulator.url;
    }
    resetEnvForTests();
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvForTests();
    await emulator?.close();
  });
  return {
    current() {
      if (!emulator) throw new Error("withGithubEmulator: the emulator starts in beforeAll");
      return emulator;
    },
  };
}

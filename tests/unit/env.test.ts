import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

const key = (byte: number, length = 32) => Buffer.alloc(length, byte).toString("base64");

const valid = {
  MIRO_CLIENT_ID: "3458764500000000001",
  MIRO_CLIENT_SECRET: "miro-secret",
  GITHUB_CLIENT_ID: "Iv1.abc",
  GITHUB_CLIENT_SECRET: "github-secret",
  GITHUB_WEBHOOK_SECRET: "webhook-secret-0123456789",
  TOKEN_ENCRYPTION_KEYS: `k1:${key(1)}`,
  NEXTAUTH_SECRET: "n".repeat(32),
  CRON_SECRET: "cron-secret-0123456789",
};

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("environment validation", () => {
  it("fills the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.NEXTAUTH_URL).toBe("http://localhost:3000");
    expect(env.MIRO_API_URL).toBe("https://api.miro.com");
    expect(env.MIRO_SDK_URL).toBe("https://miro.com/app/static/sdk/v2/miro.js");
    expect(env.GITHUB_API_URL).toBe("https://api.github.com");
    expect(env.GITHUB_WEB_URL).toBe("https://github.com");
    expect(env.PGLITE_DIR).toBe(".data/pglite");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TOKEN_ENCRYPTION_KEYS.map((k) => k.id)).toEqual(["k1"]);
  });

  it("names every missing variable", () => {
    const found = problems({ ...valid, MIRO_CLIENT_SECRET: undefined, CRON_SECRET: undefined });
    expect(found.some((p) => p.startsWith("MIRO_CLIENT_SECRET "))).toBe(true);
    expect(found.some((p) => p.startsWith("CRON_SECRET "))).toBe(true);
    expect(found).toHaveLength(2);
  });

  it("names an encryption key that isn't 32 bytes, without echoing it", () => {
    const short = key(7, 16);
    const found = problems({ ...valid, TOKEN_ENCRYPTION_KEYS: `k2:${key(2)},old:${short}` });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^TOKEN_ENCRYPTION_KEYS key "old" must be 32 bytes/);
    expect(found[0]).not.toContain(short);
  });

  it("refuses malformed key lists and URLs", () => {
    expect(problems({ ...valid, TOKEN_ENCRYPTION_KEYS: key(1) })[0]).toMatch(/^TOKEN_ENCRYPTION_KEYS entry 1/);
    expect(problems({ ...valid, TOKEN_ENCRYPTION_KEYS: `a:${key(1)},a:${key(2)}` })[0]).toMatch(/appears twice/);
    expect(problems({ ...valid, MIRO_API_URL: "not a url" })[0]).toMatch(/^MIRO_API_URL /);
    expect(problems({ ...valid, DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL /);
  });

  it("requires DATABASE_URL on Vercel", () => {
    expect(problems({ ...valid, VERCEL: "1" })).toEqual([
      expect.stringMatching(/^DATABASE_URL is required on Vercel/),
    ]);
    expect(problems({ ...valid, VERCEL: "1", DATABASE_URL: "postgresql://db/app" })).toEqual([]);
  });

  it("never includes a secret's value in its message", () => {
    const error = (() => {
      try {
        parseEnv({ ...valid, GITHUB_WEBHOOK_SECRET: "short-secret" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/GITHUB_WEBHOOK_SECRET must be at least 16 characters/);
    expect(error?.message).not.toContain("short-secret");
  });
});

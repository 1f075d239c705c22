import { z } from "zod";

/**
 * Every environment variable Cardbridge reads, validated once (DESIGN.md section 7).
 * A missing or malformed value stops the app with a message naming it.
 */

const url = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }))
    .transform((value) => value.replace(/\/+$/, ""));

const secret = (what: string, minLength = 1) =>
  z
    .string({ message: `is required (${what})` })
    .trim()
    .min(minLength, `must be at least ${minLength} characters (${what})`);

/** `id:base64key[,id:base64key…]`: the first key encrypts, every key decrypts. */
export const encryptionKeysSchema = z
  .string({ message: "is required (id:base64key[,id:base64key…], 32-byte AES-256 keys)" })
  .trim()
  .min(1, "is required (id:base64key[,id:base64key…], 32-byte AES-256 keys)")
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const [index, entry] of raw.split(",").entries()) {
      const separator = entry.indexOf(":");
      const id = entry.slice(0, separator).trim();
      const encoded = entry.slice(separator + 1).trim();
      if (separator < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        ctx.addIssue({
          code: "custom",
          message: `entry ${index + 1} must look like id:base64key, the id made of letters, digits, - or _`,
        });
        return z.NEVER;
      }
      const key = Buffer.from(encoded, "base64");
      if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
        ctx.addIssue({
          code: "custom",
          message: `key "${id}" must be 32 bytes in base64 (got ${key.length}); make one with: openssl rand -base64 32`,
        });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === id)) {
        ctx.addIssue({ code: "custom", message: `key id "${id}" appears twice` });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    return keys;
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    VERCEL: z.string().optional(),
    DATABASE_URL: z
      .string()
      .trim()
      .optional()
      .transform((value) => (value ? value : undefined))
      .pipe(
        z
          .string()
          .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
          .optional(),
      ),
    PGLITE_DIR: z.string().trim().min(1).default(".data/pglite"),
    APP_URL: url("http://localhost:3000"),
    MIRO_CLIENT_ID: secret("the Miro app's client id").regex(/^\d+$/, "must be the Miro app's numeric client id"),
    MIRO_CLIENT_SECRET: secret("the Miro app's client secret"),
    MIRO_API_URL: url("https://api.miro.com"),
    MIRO_SDK_URL: url("https://miro.com/app/static/sdk/v2/miro.js"),
    GITHUB_CLIENT_ID: secret("the GitHub App's client id"),
    GITHUB_CLIENT_SECRET: secret("the GitHub App's client secret"),
    GITHUB_WEBHOOK_SECRET: secret("the GitHub App's webhook secret", 16),
    GITHUB_API_URL: url("https://api.github.com"),
    GITHUB_WEB_URL: url("https://github.com"),
    TOKEN_ENCRYPTION_KEYS: encryptionKeysSchema,
    NEXTAUTH_SECRET: secret("next-auth's signing secret", 32),
    NEXTAUTH_URL: z.string().trim().optional(),
    CRON_SECRET: secret("the bearer token Vercel Cron sends", 16),
  })
  .superRefine((value, ctx) => {
    if (value.VERCEL && !value.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "is required on Vercel: the embedded database would live in a function's temporary disk",
      });
    }
  })
  .transform(({ NEXTAUTH_URL, ...rest }) => ({
    ...rest,
    NEXTAUTH_URL: (NEXTAUTH_URL || rest.APP_URL).replace(/\/+$/, ""),
  }));

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example.`);
    this.name = "EnvError";
  }
}

/** Validates a set of variables; throws an EnvError naming every bad one. Never echoes a value. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = issue.path[0] ?? "environment";
      const message = issue.code === "invalid_type" && issue.input === undefined ? issue.message : issue.message;
      return `${String(name)} ${message}`;
    }),
  );
}

let cached: Env | undefined;

/** The validated environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change variables between cases; production never calls this. */
export function resetEnvForTests() {
  cached = undefined;
}

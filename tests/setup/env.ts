// Test-only configuration: fixed, throwaway values so `npm test` needs no setup on a fresh machine.
// DATABASE_URL is left alone: set, the integration tests use that PostgreSQL; unset, in-memory PGlite.
const defaults: Record<string, string> = {
  NODE_ENV: "test",
  APP_URL: "http://localhost:3000",
  MIRO_CLIENT_ID: "3458764500000000001",
  MIRO_CLIENT_SECRET: "test-miro-client-secret",
  GITHUB_CLIENT_ID: "Iv1.testclientid",
  GITHUB_CLIENT_SECRET: "test-github-client-secret",
  GITHUB_WEBHOOK_SECRET: "test-github-webhook-secret",
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}`,
  NEXTAUTH_SECRET: "test-nextauth-secret-at-least-32-characters",
  CRON_SECRET: "test-cron-secret-value",
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;

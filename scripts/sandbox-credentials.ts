import { createHash } from "node:crypto";

/**
 * The sandbox's credentials, shared by the emulators and the app. Fixed, so a database kept in
 * .data/pglite stays readable across restarts; worthless anywhere else (the key is derived from a
 * public string).
 */
export const SANDBOX_CREDENTIALS = {
  miroClientId: "3458764500000000001",
  miroClientSecret: "sandbox-miro-client-secret",
  githubClientId: "Iv1.cardbridgesandbox",
  githubClientSecret: "sandbox-github-client-secret",
  githubWebhookSecret: "sandbox-github-webhook-secret",
  tokenEncryptionKeys: `sandbox:${createHash("sha256").update("cardbridge sandbox key: not a secret").digest("base64")}`,
  nextAuthSecret: "sandbox-nextauth-secret-not-for-production",
  cronSecret: "sandbox-cron-secret",
} as const;

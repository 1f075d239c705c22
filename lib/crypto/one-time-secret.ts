import { createHash, randomBytes } from "node:crypto";

/**
 * Random single-use secrets (OAuth `state`, link tickets): the raw value goes to the browser, only
 * its SHA-256 is stored, so a database dump can't replay them. 32 random bytes need no salt.
 */
export function newOneTimeSecret(): { raw: string; hash: string } {
  const raw = randomBytes(32).toString("base64url");
  return { raw, hash: hashOneTimeSecret(raw) };
}

export function hashOneTimeSecret(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

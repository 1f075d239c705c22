import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Token encryption at rest (docs/decisions/0003-token-encryption.md).
 *
 * AES-256-GCM, a fresh 96-bit IV per value. A stored value reads
 * `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts), so keys rotate without a flag day: any
 * key in TOKEN_ENCRYPTION_KEYS decrypts, the first one encrypts. The associated data binds the
 * value to its row and column (and key id): a value copied into another row fails to decrypt
 * instead of handing one user's token to another.
 */

export type EncryptionKey = { id: string; key: Buffer };

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type DecryptFailure = "malformed" | "unknown_key" | "tampered";

export class TokenDecryptionError extends Error {
  constructor(readonly reason: DecryptFailure) {
    super(
      {
        malformed: "Stored token is not an encrypted value",
        unknown_key: "Stored token was encrypted with a key that is not in TOKEN_ENCRYPTION_KEYS",
        tampered: "Stored token failed authentication (tampered, or moved from another row)",
      }[reason],
    );
    this.name = "TokenDecryptionError";
  }
}

/** What a value is bound to: `miro_tokens.access_token_enc#<row id>`. */
export function tokenBinding(table: string, column: string, rowId: string): string {
  return `${table}.${column}#${rowId}`;
}

function associatedData(keyId: string, binding: string): Buffer {
  return Buffer.from(`${VERSION}|${keyId}|${binding}`, "utf8");
}

export function encryptToken(plaintext: string, binding: string, keys: readonly EncryptionKey[]): string {
  const current = keys[0];
  if (!current) throw new Error("No encryption key configured (TOKEN_ENCRYPTION_KEYS)");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(current.id, binding));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, current.id, iv.toString("base64url"), sealed.toString("base64url")].join(".");
}

/** The id of the key a stored value was written with, or undefined when it isn't one of ours. */
export function keyIdOf(value: string): string | undefined {
  const parts = value.split(".");
  return parts.length === 4 && parts[0] === VERSION ? parts[1] : undefined;
}

export function decryptToken(value: string, binding: string, keys: readonly EncryptionKey[]): string {
  const parts = value.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new TokenDecryptionError("malformed");
  const [, keyId, ivPart, sealedPart] = parts as [string, string, string, string];
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new TokenDecryptionError("unknown_key");
  const iv = Buffer.from(ivPart, "base64url");
  const sealed = Buffer.from(sealedPart, "base64url");
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new TokenDecryptionError("malformed");
  const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(keyId, binding));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new TokenDecryptionError("tampered");
  }
}

import { describe, expect, it } from "vitest";
import {
  decryptToken,
  type EncryptionKey,
  encryptToken,
  keyIdOf,
  TokenDecryptionError,
  tokenBinding,
} from "@/lib/crypto/token-cipher";

const k1: EncryptionKey = { id: "k1", key: Buffer.alloc(32, 1) };
const k2: EncryptionKey = { id: "k2", key: Buffer.alloc(32, 2) };
const aliceRow = tokenBinding("miro_tokens", "access_token_enc", "row-alice");
const bobRow = tokenBinding("miro_tokens", "access_token_enc", "row-bob");

function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenDecryptionError) return error.reason;
    throw error;
  }
  throw new Error("expected decryption to fail");
}

describe("token encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = encryptToken("eyJtaXJvLXRva2VuIjoic2VjcmV0In0", aliceRow, [k1]);
    expect(sealed).not.toContain("eyJtaXJvLXRva2VuIjoic2VjcmV0In0");
    expect(sealed.startsWith("v1.k1.")).toBe(true);
    expect(keyIdOf(sealed)).toBe("k1");
    expect(decryptToken(sealed, aliceRow, [k1])).toBe("eyJtaXJvLXRva2VuIjoic2VjcmV0In0");
  });

  it("uses a fresh IV each time, so equal tokens don't look equal", () => {
    expect(encryptToken("same", aliceRow, [k1])).not.toBe(encryptToken("same", aliceRow, [k1]));
  });

  it("rejects tampered ciphertext", () => {
    const sealed = encryptToken("secret-token", aliceRow, [k1]);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 0xff;
    parts[3] = body.toString("base64url");
    expect(failure(() => decryptToken(parts.join("."), aliceRow, [k1]))).toBe("tampered");
  });

  it("rejects a value moved to another row or column", () => {
    const sealed = encryptToken("alice-token", aliceRow, [k1]);
    expect(failure(() => decryptToken(sealed, bobRow, [k1]))).toBe("tampered");
    const refreshColumn = tokenBinding("miro_tokens", "refresh_token_enc", "row-alice");
    expect(failure(() => decryptToken(sealed, refreshColumn, [k1]))).toBe("tampered");
  });

  it("rejects a value whose key id was relabelled to another known key", () => {
    const sealed = encryptToken("alice-token", aliceRow, [k1]);
    expect(failure(() => decryptToken(sealed.replace("v1.k1.", "v1.k2."), aliceRow, [k1, k2]))).toBe("tampered");
  });

  it("rejects an unknown key id and malformed values", () => {
    const sealed = encryptToken("alice-token", aliceRow, [k2]);
    expect(failure(() => decryptToken(sealed, aliceRow, [k1]))).toBe("unknown_key");
    expect(failure(() => decryptToken("plaintext-token", aliceRow, [k1]))).toBe("malformed");
    expect(failure(() => decryptToken("v1.k1.AAAA.AAAA", aliceRow, [k1]))).toBe("malformed");
  });

  it("decrypts with any configured key and encrypts with the first", () => {
    const old = encryptToken("token", aliceRow, [k1]);
    const keyring = [k2, k1];
    expect(decryptToken(old, aliceRow, keyring)).toBe("token");
    expect(keyIdOf(encryptToken("token", aliceRow, keyring))).toBe("k2");
  });
});

import { describe, expect, it } from "vitest";
import { rotateKeys } from "@/lib/crypto/rotate-keys";
import { decryptToken, type EncryptionKey, encryptToken, keyIdOf, tokenBinding } from "@/lib/crypto/token-cipher";
import { withTestDatabase } from "../helpers/test-database";

const database = withTestDatabase();
const oldKey: EncryptionKey = { id: "old", key: Buffer.alloc(32, 7) };
const newKey: EncryptionKey = { id: "new", key: Buffer.alloc(32, 9) };

async function seed(count: number) {
  const db = database.current().prisma;
  await db.miroTeam.create({ data: { id: "3458764500000000100", name: "Acme" } });
  for (let i = 0; i < count; i++) {
    const userId = `34587645000000002${String(i).padStart(2, "0")}`;
    const tokenId = `token-${i}`;
    await db.miroUser.create({ data: { id: userId, name: `User ${i}` } });
    await db.miroToken.create({
      data: {
        id: tokenId,
        userId,
        teamId: "3458764500000000100",
        accessTokenEnc: encryptToken(`access-${i}`, tokenBinding("miro_tokens", "access_token_enc", tokenId), [oldKey]),
        refreshTokenEnc:
          i % 2 === 0
            ? encryptToken(`refresh-${i}`, tokenBinding("miro_tokens", "refresh_token_enc", tokenId), [oldKey])
            : null,
      },
    });
  }
}

describe("npm run keys:rotate", () => {
  it("re-encrypts every stored token with the current key; old values stay readable until then", async () => {
    await seed(5);
    const db = database.current().prisma;
    const keyring = [newKey, oldKey];

    // Before rotation: a new key is first, the old one still decrypts.
    const before = await db.miroToken.findUniqueOrThrow({ where: { id: "token-0" } });
    expect(keyIdOf(before.accessTokenEnc)).toBe("old");
    expect(decryptToken(before.accessTokenEnc, tokenBinding("miro_tokens", "access_token_enc", "token-0"), keyring)).toBe(
      "access-0",
    );

    const report = await rotateKeys(db, keyring);
    expect(report.reencrypted.miro_tokens).toBe(5 + 3); // 5 access tokens, 3 refresh tokens
    expect(report.total).toBe(8);

    // After rotation the old key can be dropped: the new one alone reads everything.
    for (const row of await db.miroToken.findMany({ orderBy: { id: "asc" } })) {
      const i = row.id.split("-")[1];
      expect(keyIdOf(row.accessTokenEnc)).toBe("new");
      expect(decryptToken(row.accessTokenEnc, tokenBinding("miro_tokens", "access_token_enc", row.id), [newKey])).toBe(
        `access-${i}`,
      );
      if (row.refreshTokenEnc) {
        expect(
          decryptToken(row.refreshTokenEnc, tokenBinding("miro_tokens", "refresh_token_enc", row.id), [newKey]),
        ).toBe(`refresh-${i}`);
      }
    }

    const again = await rotateKeys(db, keyring);
    expect(again.total).toBe(0);
    expect(again.current.miro_tokens).toBe(8);
  });

  it("reports values no configured key opens and leaves them untouched", async () => {
    const db = database.current().prisma;
    // An operator reused the id "new" for different key bytes: the values under the real "new" can't open.
    const impostor: EncryptionKey = { id: "new", key: Buffer.alloc(32, 5) };
    const before = await db.miroToken.findMany({ orderBy: { id: "asc" } });
    const report = await rotateKeys(db, [impostor, oldKey]);
    expect(report.unreadable.miro_tokens).toBe(8);
    expect(report.total).toBe(0);
    expect(await db.miroToken.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

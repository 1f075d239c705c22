import { env } from "../env";
import { decryptToken, encryptToken, tokenBinding } from "./token-cipher";

/**
 * Every column that holds an encrypted token, by table. Key rotation walks this list; a new
 * encrypted column is added here and nowhere else.
 */
export const ENCRYPTED_COLUMNS = {
  miro_tokens: ["access_token_enc", "refresh_token_enc"],
  github_accounts: ["access_token_enc", "refresh_token_enc"],
  oauth_states: ["verifier_enc"],
  link_tickets: ["pending_enc"],
} as const;

export type EncryptedTable = keyof typeof ENCRYPTED_COLUMNS;
export type EncryptedColumn<Table extends EncryptedTable> = (typeof ENCRYPTED_COLUMNS)[Table][number];

/** Encrypts a token for one column of one row, with the current key. */
export function sealToken<Table extends EncryptedTable>(
  table: Table,
  column: EncryptedColumn<Table>,
  rowId: string,
  plaintext: string,
): string {
  return encryptToken(plaintext, tokenBinding(table, column, rowId), env().TOKEN_ENCRYPTION_KEYS);
}

/** Decrypts a token read from one column of one row; throws TokenDecryptionError, never returns garbage. */
export function openToken<Table extends EncryptedTable>(
  table: Table,
  column: EncryptedColumn<Table>,
  rowId: string,
  sealed: string,
): string {
  return decryptToken(sealed, tokenBinding(table, column, rowId), env().TOKEN_ENCRYPTION_KEYS);
}

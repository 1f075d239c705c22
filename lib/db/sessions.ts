import type { PGlite } from "@electric-sql/pglite";
import type { Client } from "pg";
import type { SqlSession } from "./migrate";

export function pgSession(client: Client): SqlSession {
  return {
    async query(sql, params) {
      return (await client.query(sql, params as unknown[])).rows;
    },
    async exec(sql) {
      // Without parameters pg uses the simple query protocol, which runs several statements.
      await client.query(sql);
    },
  };
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    connection: db,
    async query<Row>(sql: string, params?: unknown[]) {
      return (await db.query<Row>(sql, params)).rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
  };
}

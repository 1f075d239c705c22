import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  diffMigrationsToSchema,
  MIGRATIONS_DIR,
  migrationDirName,
  readMigrations,
  SCHEMA_PATH,
} from "../../scripts/db-diff";

// Each diff starts one in-memory PGlite and the wasm schema engine: a few seconds.
describe("db:diff (schema engine wasm, offline)", () => {
  it("finds no difference between prisma/schema.prisma and the committed migrations", async () => {
    const migrations = await readMigrations(MIGRATIONS_DIR);
    expect(migrations.migrationDirectories.length).toBeGreaterThan(0);
    expect(migrations.lockfile.content).toContain('provider = "postgresql"');
    const sql = await diffMigrationsToSchema(await readFile(SCHEMA_PATH, "utf8"), migrations);
    expect(sql).toBeNull();
  });

  it("writes the SQL for a model the migrations don't have", async () => {
    const schema = `${await readFile(SCHEMA_PATH, "utf8")}
model DiffProbe {
  id        String @id
  probeName String @map("probe_name")

  @@map("diff_probes")
}
`;
    const sql = await diffMigrationsToSchema(schema, await readMigrations(MIGRATIONS_DIR));
    expect(sql).toContain('CREATE TABLE "diff_probes"');
    expect(sql).toContain('"probe_name" TEXT NOT NULL');
    // Only the new table: everything else is already in the migrations.
    expect(sql?.match(/CREATE TABLE/g)).toHaveLength(1);
    expect(sql).not.toMatch(/DROP|ALTER TABLE/);
  });

  it("names migration folders like Prisma (UTC timestamp, slugified name)", () => {
    const at = new Date("2026-12-04T09:05:07.123Z");
    expect(migrationDirName("init", at)).toBe("20261204090507_init");
    expect(migrationDirName("Add cardLinks state!", at)).toBe("20261204090507_add_card_links_state");
    expect(() => migrationDirName("--", at)).toThrow(/invalid migration name/);
  });
});

import { defineConfig } from "prisma/config";

// The CLI only needs a URL for commands that talk to a database; `generate` never connects.
// Migrations are applied by scripts/db-migrate.ts (see docs/decisions/0002-offline-migrations.md).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/cardbridge" },
});

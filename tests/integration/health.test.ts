import { afterEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/health/route";
import { postgresAdapter, setDbForTests } from "@/lib/db/client";
import { PrismaClient } from "@/lib/db/generated/client";
import { withTestDatabase } from "../helpers/test-database";

const database = withTestDatabase();

describe("GET /api/health", () => {
  afterEach(() => setDbForTests(database.current().prisma));

  it("answers ok with the database up", async () => {
    const response = await GET(new Request("http://localhost/api/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "up" });
  });

  it("answers 503 when the database is unreachable", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    // Nothing listens on port 1: the connection is refused.
    const unreachable = new PrismaClient({ adapter: postgresAdapter("postgresql://cardbridge@127.0.0.1:1/none") });
    setDbForTests(unreachable);
    const response = await GET(new Request("http://localhost/api/health"));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, database: "down" });
    await unreachable.$disconnect();
    log.mockRestore();
  });
});

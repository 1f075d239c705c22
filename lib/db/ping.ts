import { getDb } from "./client";

/** Whether the database answers a trivial query within `timeoutMs`. */
export async function pingDatabase(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = (async () => {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    return true;
  })().catch((error: unknown) => {
    console.error("[health] database unreachable:", error instanceof Error ? error.message : String(error));
    return false;
  });
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

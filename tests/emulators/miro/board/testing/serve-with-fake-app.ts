/**
 * The sandbox board with the fake app in it, for working on the board or the SDK stand-in without
 * the real app: `npx tsx tests/emulators/miro/board/testing/serve-with-fake-app.ts [port]`
 * (port 0: any free one). Prints the addresses, then one JSON line for programs that start it.
 */
import { startMiroEmulator } from "../../server";
import { startFakeApp } from "./fake-app";

/** Marks the line a parent process reads the addresses from. */
export const READY_MARKER = "fake-app-board-ready";
export const FAKE_APP_CLIENT_ID = "3458764500000000001";

async function main() {
  const app = await startFakeApp();
  const emulator = await startMiroEmulator({
    port: Number(process.argv[2] ?? 3011),
    clientId: FAKE_APP_CLIENT_ID,
    clientSecret: "fake-app-client-secret",
    redirectUri: `${app.url}/install`,
    appUrl: app.url,
  });
  app.setSdkUrl(`${emulator.url}/sdk/v2/miro.js`);
  console.log(`Board: ${emulator.url}/board   (fake app at ${app.url})`);
  console.log(`${READY_MARKER} ${JSON.stringify({ miro: emulator.url, app: app.url })}`);
  const stop = async () => {
    await Promise.all([emulator.close(), app.close()]);
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * The sandbox board with the fake app in it, for working on the board or the SDK stand-in without
 * the real app: `npx tsx tests/emulators/miro/board/testing/serve-with-fake-app.ts [port]`.
 */
import { startMiroEmulator } from "../../server";
import { startFakeApp } from "./fake-app";

async function main() {
  const app = await startFakeApp();
  const emulator = await startMiroEmulator({
    port: Number(process.argv[2] ?? 3011),
    clientId: "3458764500000000001",
    clientSecret: "fake-app-client-secret",
    redirectUri: `${app.url}/install`,
    appUrl: app.url,
  });
  app.setSdkUrl(`${emulator.url}/sdk/v2/miro.js`);
  console.log(`Board: ${emulator.url}/board   (fake app at ${app.url})`);
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

/**
 * Where the browser tests find the sandbox (`scripts/sandbox.ts --production --fresh`, started by
 * playwright.config.ts): on ports of their own, so a dev sandbox on 3000/3010/3020 can keep running.
 */
const appPort = Number(process.env.E2E_PORT ?? 3100);

export const E2E_PORTS = { app: appPort, miro: appPort + 10, github: appPort + 20 } as const;

export const E2E_URLS = {
  app: `http://localhost:${E2E_PORTS.app}`,
  miro: `http://localhost:${E2E_PORTS.miro}`,
  github: `http://localhost:${E2E_PORTS.github}`,
} as const;

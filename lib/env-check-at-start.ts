import { EnvError, env } from "./env";

// Imported by instrumentation.ts in the Node.js runtime only (process.exit doesn't exist on the edge).
try {
  env();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`[cardbridge] ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// Runs once when the server starts: a missing or malformed variable stops the app here, with a
// message naming it, instead of failing the first request that happens to read it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/env-check-at-start");
}

// Runs once when the server starts: refuse to serve with a broken configuration, and say what is wrong in one
// line (lib/startup-checks.ts; docs/operations.md#start-up-checks).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const { log } = await import("@/lib/log");
  const { runStartupChecks, startupFailureLine } = await import("@/lib/startup-checks");
  try {
    const config = env();
    // Fails at start-up, not on the first sign-in, when the session secret is missing.
    const { authSecret } = await import("@/lib/auth/config");
    authSecret(config);
    await runStartupChecks({ service: "web", env: config, log });
  } catch (e) {
    const line = startupFailureLine("web", e);
    if (line) {
      console.error(line);
      process.exit(1);
    }
    throw e;
  }
}

// Runs once when the server starts: refuse to serve with a broken configuration, and say what is wrong.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, env } = await import("@/lib/env");
  try {
    env();
    // Fails at start-up, not on the first request, when the dev sign-in is misconfigured or the secret is missing.
    const { authSecret, devLoginEnabled } = await import("@/lib/auth/config");
    devLoginEnabled();
    authSecret();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`\n${e.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw e;
  }
}

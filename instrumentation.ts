// Runs once when the server starts: refuse to serve with a broken configuration, and say what is wrong.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, env } = await import("@/lib/env");
  try {
    env();
    // Fails at start-up, not on the first sign-in, when the session secret is missing.
    const { authSecret } = await import("@/lib/auth/config");
    authSecret();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`\n${e.message}\nSee the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw e;
  }
}

// Shared local test clusters are used by several processes at once (parallel runs, test-all's two tiers):
// each registers as a user with a pid file, and only the last live user may stop the cluster.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function clusterUsers(name: string) {
  const dir = path.resolve(import.meta.dirname, "../../.data", `${name}-cluster-users`);
  return {
    /** Registers this process; returns the unregister function. */
    register(): () => void {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, String(process.pid));
      writeFileSync(file, `${new Date().toISOString()}\n`);
      return () => rmSync(file, { force: true });
    },
    /** Live processes other than this one registered as users (stale registrations are removed on the way). */
    others(): number {
      let n = 0;
      mkdirSync(dir, { recursive: true });
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const pid = Number(entry.name);
        if (!pid || pid === process.pid) continue;
        if (alive(pid)) n++;
        else rmSync(path.join(dir, entry.name), { force: true });
      }
      return n;
    },
  };
}

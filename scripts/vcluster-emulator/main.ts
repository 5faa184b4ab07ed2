/**
 * tsx scripts/vcluster-emulator/main.ts --kubeconfig <host kubeconfig> [--light] [--local-route] [--namespace-prefix vc-] [--keep-state]
 * Test infrastructure: see emulator.ts and docs/vcluster-emulator.md. Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "../k8s/args";
import { startEmulator } from "./emulator";

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const kubeconfig = typeof args.kubeconfig === "string" ? args.kubeconfig : undefined;
  if (args.help || !kubeconfig) {
    console.error("usage: tsx scripts/vcluster-emulator/main.ts --kubeconfig <host kubeconfig> [--light] [--local-route] [--namespace-prefix vc-] [--keep-state]");
    process.exit(args.help ? 0 : 2);
  }
  const emulator = await startEmulator({ hostKubeconfig: kubeconfig, light: Boolean(args.light), localRoute: Boolean(args["local-route"]), namespacePrefix: typeof args["namespace-prefix"] === "string" ? args["namespace-prefix"] : undefined, keepState: Boolean(args["keep-state"]) });
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[vcluster-emulator] ${sig}: stopping`);
    await emulator.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  setInterval(() => {
    const s = emulator.servers();
    if (s.length) {
      console.error(
        `[vcluster-emulator] ${s.length} API server(s): ` +
          s.map((x) => `${x.name} ${x.server} pid ${x.pid} RSS ${x.rssKiB ? Math.round(x.rssKiB / 1024) : "?"}MiB`).join("; "),
      );
    }
  }, 60_000).unref();
}

main().catch((e) => {
  console.error(`[vcluster-emulator] FAILED: ${(e as Error).message}`);
  process.exit(1);
});

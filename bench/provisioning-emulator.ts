/**
 * Child process of bench/provisioning.ts: the vcluster emulator in LIGHT mode (one shared kube-apiserver for
 * every virtual cluster) against the bench host. Kept out of the benchmark's process so that its CPU and its
 * API calls are counted as the host's, not the portal's. Log lines start with Date.now(): the benchmark reads
 * when each Secret vc-<release> was written (the moment the host side was done).
 *   node --import tsx bench/provisioning-emulator.ts <host kubeconfig> <pollMs>
 */
import { startEmulator } from "../scripts/vcluster-emulator/emulator";

const [hostKubeconfig, poll] = process.argv.slice(2);
if (!hostKubeconfig) {
  console.error("usage: provisioning-emulator.ts <host kubeconfig> [pollMs]");
  process.exit(2);
}
const emulator = await startEmulator({ hostKubeconfig, light: true, pollMs: Number(poll) || 1000, log: (l) => console.error(`${Date.now()} [emulator] ${l}`) });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await emulator.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
console.log("EMULATOR-READY");

/**
 * npm run k8s:up -- [--name dev] [--port-base 16400]
 * Builds the binaries if needed (scripts/k8s/build.sh), starts (or reuses) a local cluster and
 * prints the admin kubeconfig path as the LAST line of stdout. Without --port-base the cluster keeps
 * this checkout's own base, or the next free one (docs/local-kubernetes.md "Ports").
 */
import { upCluster } from './lifecycle';
import { processRss } from './processes';
import { parseArgs, intArg } from './args';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || args.h) {
    console.log('usage: npm run k8s:up -- [--name dev] [--port-base 16400]  (default base: this checkout\'s own, see docs/local-kubernetes.md)');
    return;
  }
  const name = typeof args.name === 'string' ? args.name : 'dev';
  const portBase = intArg(args['port-base'], '--port-base');
  const t0 = Date.now();
  const res = await upCluster({ name, portBase, log: (l) => console.error(l.startsWith('[') ? l : `[k8s up] ${l}`) });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.error(
    `[k8s up] cluster "${res.name}" ${res.reused ? 'already running' : `started in ${secs}s`}: ${res.server} (port base ${res.portBase})`,
  );
  const rss = processRss(res.name);
  console.error(
    '[k8s up] RSS: ' +
      Object.entries(rss)
        .map(([p, v]) => `${p} ${Math.round(v!.rssKiB / 1024)}MiB`)
        .join(', '),
  );
  console.error(`[k8s up] use: export KUBECONFIG=${res.kubeconfig}`);
  console.log(res.kubeconfig);
}

main().catch((e) => {
  console.error(`[k8s up] FAILED: ${(e as Error).message}`);
  process.exit(1);
});

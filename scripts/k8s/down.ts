/** npm run k8s:down -- [--name dev]: stops every process of the instance and removes its data dir. */
import { downCluster } from './lifecycle';
import { parseArgs } from './args';

const args = parseArgs(process.argv.slice(2));
const name = typeof args.name === 'string' ? args.name : 'dev';
downCluster(name, { log: (l) => console.error(`[k8s down] ${l}`) })
  .then(() => console.error(`[k8s down] done`))
  .catch((e) => {
    console.error(`[k8s down] FAILED: ${(e as Error).message}`);
    process.exit(1);
  });

export {};

/**
 * npm run bench [-- pages|provisioning|sweeps]: benchmarks that print ratios against a baseline measured in the
 * same run. Not tests: nothing here asserts a time.
 */
const suites: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  pages: () => import("./pages"),
  provisioning: () => import("./provisioning"),
  sweeps: () => import("./sweeps"),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length > 0 ? wanted : Object.keys(suites);
for (const name of names) {
  const load = suites[name];
  if (!load) {
    console.error(`Unknown benchmark "${name}". Choose from: ${Object.keys(suites).join(", ")}.`);
    process.exit(2);
  }
  console.log(`\n=== bench: ${name} ===`);
  await (await load()).run();
}

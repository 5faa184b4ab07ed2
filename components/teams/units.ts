// Client-safe copies of lib/domain/quota's formatters (that module pulls server-only code into a browser
// bundle). units.test.ts keeps them identical.

export const formatCpu = (m: number) => (m % 1000 === 0 ? `${m / 1000} CPU` : `${(m / 1000).toFixed(1)} CPU`);
export const formatMemory = (mib: number) => (mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`);
export const formatClusters = (n: number) => `${n} cluster${n === 1 ? "" : "s"}`;

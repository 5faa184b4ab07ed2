// How resources read to a person, on the server and in the browser alike.

export const formatCpu = (m: number) => (m % 1000 === 0 ? `${m / 1000} CPU` : `${(m / 1000).toFixed(1)} CPU`);
export const formatMemory = (mib: number) => (mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`);

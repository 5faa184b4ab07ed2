import net from "node:net";

/** Whether `port` can be bound right now, on `host` (default 127.0.0.1; "any" = every interface, as `next start` binds). */
export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const srv = net.createServer().once("error", () => resolve(false));
    const done = () => srv.close(() => resolve(true));
    if (host === "any") srv.listen(port, done);
    else srv.listen(port, host, done);
  });
}

/** The first free port from `preferred` on (up to `span` ports), so a restart usually gets the same one. */
export async function firstFreePort(preferred: number, what: string, span = 50): Promise<number> {
  for (let port = preferred; port < preferred + span; port++) if (await portFree(port)) return port;
  throw new Error(`No free port for ${what} between ${preferred} and ${preferred + span - 1}.`);
}

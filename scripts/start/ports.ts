import net from "node:net";
import { z } from "zod";

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

export type ReservedPort = { port: number; release: () => Promise<void> };

function holdPort(port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const srv = net.createServer().once("error", () => resolve(null));
    srv.listen(port, () => resolve(srv.unref()));
  });
}

/**
 * Binds the first free port from `preferred` on (every interface, as `next start` binds) and holds it until
 * release(): the web server starts minutes later (after the build), and meanwhile nothing else, such as another
 * checkout's `npm start` or the sign-in provider, may take it.
 */
export async function reservePort(preferred: number, what: string, span = 50): Promise<ReservedPort> {
  for (let port = preferred; port < preferred + span; port++) {
    const srv = await holdPort(port);
    if (srv) return { port, release: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
  }
  throw new Error(`No free port for ${what} between ${preferred} and ${preferred + span - 1}.`);
}

const portSchema = z.coerce
  .number({ message: "PORT must be a port number (1-65535), e.g. PORT=3100 npm start" })
  .int("PORT must be a whole port number, e.g. PORT=3100")
  .min(1, "PORT must be between 1 and 65535")
  .max(65535, "PORT must be between 1 and 65535");

/**
 * The portal's web port: PORT exactly when set (an error if it is taken), else 3000 or, when another program
 * (say a second checkout's `npm start`) has it, the next free one. Held until `release()`.
 */
export async function reserveWebPort(envPort: string | undefined, say: (line: string) => void): Promise<ReservedPort> {
  if (envPort !== undefined && envPort !== "") {
    const parsed = portSchema.safeParse(envPort);
    if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.message ?? "PORT is invalid"} (got "${envPort}")`);
    const srv = await holdPort(parsed.data);
    if (!srv) throw new Error(`Port ${parsed.data} is in use: stop what runs there, or start on another port (PORT=3100 npm start).`);
    return { port: parsed.data, release: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
  }
  const reserved = await reservePort(3000, "the portal");
  if (reserved.port !== 3000) say(`Port 3000 is in use (another checkout's npm start?): the portal takes ${reserved.port} instead.`);
  return reserved;
}

// The web port of `npm start` (scripts/start/ports.ts), with real binds: a taken port is skipped and held
// ports stay held until released.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { portFree, reservePort, reserveWebPort } from "./ports";

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(port, () => resolve(srv));
  });
}
const close = (srv: net.Server) => new Promise((r) => srv.close(r));

async function osFreePort(): Promise<number> {
  const srv = await listen(0);
  const { port } = srv.address() as net.AddressInfo;
  await close(srv);
  return port;
}

describe("reservePort", () => {
  it("skips a taken port, holds the one it takes until released", async () => {
    const p = await osFreePort();
    const other = await listen(p);
    try {
      const reserved = await reservePort(p, "the portal");
      expect(reserved.port).toBeGreaterThan(p);
      expect(await portFree(reserved.port, "any")).toBe(false); // held: a second npm start would skip it too
      await reserved.release();
      expect(await portFree(reserved.port, "any")).toBe(true);
    } finally {
      await close(other);
    }
  });

  it("says which ports it tried when none is free", async () => {
    const p = await osFreePort();
    const other = await listen(p);
    try {
      await expect(reservePort(p, "the portal", 1)).rejects.toThrow(`No free port for the portal between ${p} and ${p}.`);
    } finally {
      await close(other);
    }
  });
});

describe("reserveWebPort with PORT set", () => {
  it("takes exactly that port", async () => {
    const p = await osFreePort();
    const reserved = await reserveWebPort(String(p), () => {});
    expect(reserved.port).toBe(p);
    await reserved.release();
  });

  it("refuses a taken PORT instead of moving", async () => {
    const p = await osFreePort();
    const other = await listen(p);
    try {
      await expect(reserveWebPort(String(p), () => {})).rejects.toThrow(`Port ${p} is in use: stop what runs there, or start on another port (PORT=3100 npm start).`);
    } finally {
      await close(other);
    }
  });

  it.each([["abc"], ["30.5"], ["0"], ["70000"]])("rejects PORT=%s with a message naming PORT", async (v) => {
    await expect(reserveWebPort(v, () => {})).rejects.toThrow(/PORT must be .*\(got "/);
  });
});

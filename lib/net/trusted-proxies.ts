import { BlockList, isIP } from "node:net";

// Who is the client? Only proxies the operator names in TRUSTED_PROXIES may say so through X-Forwarded-For.
//
// Every proxy appends the address of its own peer to X-Forwarded-For, so the list reads
// "client, proxy1, proxy2" and the rightmost entry is what the nearest proxy saw. Walking from the right,
// each entry that is a trusted proxy forwarded the request for the entry to its left; the first entry that
// is not a trusted proxy is the client. Anything further left was written by the client and is ignored.
//
// Next.js does not hand the socket address to route handlers or server components: it only fills in
// X-Forwarded-For with it when the request carries none (`??=`). Without trusted proxies the header may
// therefore be the client's own invention, and the caller must not key anything on it (see
// lib/server/client-ip.ts: the audit log records the rightmost hop, rate limits use one shared bucket).

export type TrustedProxies = {
  /** The list as configured (normalized), for logs and messages. */
  readonly entries: readonly string[];
  has(ip: string): boolean;
};

export const NO_TRUSTED_PROXIES: TrustedProxies = { entries: [], has: () => false };

/**
 * An address as it appears in a forwarded header ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443",
 * "::ffff:10.0.0.1"), normalized ("10.0.0.1", "2001:db8::1"); undefined when it is not an IP address.
 */
export function normalizeIp(raw: string): string | undefined {
  let v = raw.trim();
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    if (end < 0) return undefined;
    v = v.slice(1, end);
  } else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) {
    v = v.slice(0, v.lastIndexOf(":"));
  }
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(v);
  if (mapped) v = mapped[1]!;
  const family = isIP(v);
  if (family === 4) return v;
  if (family === 6) return v.toLowerCase();
  return undefined;
}

/** Parses "10.0.0.1, 10.1.0.0/16, fd00::/8". Throws an Error naming the first bad entry. */
export function parseTrustedProxies(spec: string): TrustedProxies {
  const entries = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return NO_TRUSTED_PROXIES;
  const list = new BlockList();
  const normalized: string[] = [];
  for (const entry of entries) {
    const [addr = "", prefix, extra] = entry.split("/");
    const ip = normalizeIp(addr);
    const family = ip ? isIP(ip) : 0;
    if (!ip || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.1 or 10.0.0.0/8)`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) {
      list.addAddress(ip, type);
      normalized.push(ip);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
    list.addSubnet(ip, bits, type);
    normalized.push(`${ip}/${bits}`);
  }
  return {
    entries: normalized,
    has: (candidate) => {
      const ip = normalizeIp(candidate);
      if (!ip) return false;
      return list.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");
    },
  };
}

export type ClientAddress = {
  /**
   * With trusted proxies: the client's address as they reported it (undefined without a usable header).
   * Without: the rightmost hop of the header, which is the socket address when the client sent none and
   * the client's own claim otherwise — fit for the audit log, not for keying limits.
   */
  ip: string | undefined;
  /** True when `ip` was established through configured proxies and can identify the client. */
  verified: boolean;
};

/** Pure: the client address from an X-Forwarded-For value and the configured proxies. */
export function clientAddressFrom(forwardedFor: string | null | undefined, proxies: TrustedProxies): ClientAddress {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (proxies.entries.length === 0) {
    const last = hops.at(-1);
    return { ip: last ? normalizeIp(last) : undefined, verified: false };
  }
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = normalizeIp(hops[i]!);
    // A malformed entry ends what the proxies vouch for: whoever wrote it is not identified.
    if (!ip) return { ip: undefined, verified: false };
    if (!proxies.has(ip) || i === 0) return { ip, verified: true };
  }
  return { ip: undefined, verified: false };
}

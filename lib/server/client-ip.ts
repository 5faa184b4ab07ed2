import { env } from "@/lib/env";
import { clientAddressFrom } from "@/lib/net/trusted-proxies";

// The one place that decides who the client is, for the audit log and for per-address rate limits.
// X-Forwarded-For is believed only as far as TRUSTED_PROXIES vouch for it (lib/net/trusted-proxies.ts).

/**
 * The client's address for the audit log: through trusted proxies, the client; without any configured,
 * the rightmost hop of X-Forwarded-For (Next.js puts the socket address there when the client sent none).
 */
export function clientIp(headers: Headers): string | undefined {
  return clientAddressFrom(headers.get("x-forwarded-for"), env().TRUSTED_PROXIES).ip;
}

/** The one rate-limit bucket of every client whose address no trusted proxy vouches for. */
export const UNVERIFIED_CLIENTS = "unverified-client";

/**
 * The key of per-address rate limits for an address clientIp() returned: the address itself when trusted
 * proxies vouch for it; otherwise one shared bucket, so that rotating X-Forwarded-For gains nothing.
 */
export function rateLimitKeyFor(ip: string | undefined): string {
  if (!ip || env().TRUSTED_PROXIES.entries.length === 0) return UNVERIFIED_CLIENTS;
  return ip;
}

// Drives the REAL Auth.js route handlers (lib/auth/config.ts) the way a browser would: NextRequest objects,
// a cookie jar, redirects followed by hand between the portal and a real OIDC provider. Test-only.
import { NextRequest } from "next/server";
import { CookieJar } from "@/lib/auth/testing/oidc-idp";

type Handler = (req: NextRequest) => Promise<Response>;
export type AuthHandlers = { GET: Handler; POST: Handler };

export class PortalClient {
  readonly jar = new CookieJar();

  constructor(
    readonly origin: string,
    private readonly handlers: AuthHandlers,
  ) {}

  async request(method: "GET" | "POST", pathOrUrl: string, form?: Record<string, string>): Promise<Response> {
    const headers = new Headers();
    const cookie = this.jar.header();
    if (cookie) headers.set("cookie", cookie);
    let body: string | undefined;
    if (form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(form).toString();
    }
    const req = new NextRequest(new URL(pathOrUrl, this.origin), { method, headers, body });
    const res = await (method === "GET" ? this.handlers.GET(req) : this.handlers.POST(req));
    this.jar.store(res);
    return res;
  }

  async csrfToken(): Promise<string> {
    const res = await this.request("GET", "/api/auth/csrf");
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return csrfToken;
  }

  async session(): Promise<{ user?: { id: string; email: string; isAdmin: boolean; name?: string } } | null> {
    const res = await this.request("GET", "/api/auth/session");
    return (await res.json()) as { user?: { id: string; email: string; isAdmin: boolean } } | null;
  }

  hasSessionCookie(): boolean {
    return this.jar.names().some((n) => n.endsWith("authjs.session-token"));
  }
}

/** Follows redirects at the IdP (with its own cookie jar) until it redirects back to `stopAt`. */
export async function followIdpRedirects(start: string, idpJar: CookieJar, stopAt: string, maxHops = 12): Promise<string> {
  let location = start;
  for (let hop = 0; hop < maxHops; hop++) {
    if (location.startsWith(stopAt)) return location;
    const headers: Record<string, string> = {};
    const cookie = idpJar.header();
    if (cookie) headers.cookie = cookie;
    const res = await fetch(location, { redirect: "manual", headers });
    idpJar.store(res);
    const next = res.headers.get("location");
    if (!next) throw new Error(`the IdP stopped at ${location} with ${res.status}: ${(await res.text()).slice(0, 500)}`);
    location = new URL(next, location).href;
  }
  throw new Error(`too many redirects at the IdP (last: ${location})`);
}

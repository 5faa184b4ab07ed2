// Drives the REAL Auth.js route handlers (lib/auth/route-handlers.ts) the way a browser would: NextRequest
// objects, a cookie jar, and redirects followed by hand between the portal and a real OpenID Connect
// provider (scripts/oidc). Test-only.
import { NextRequest } from "next/server";
import { CookieJar, csrfToken, type PortalRequester } from "../oidc/http-sign-in";

type Handler = (req: NextRequest) => Promise<Response>;
export type AuthHandlers = { GET: Handler; POST: Handler };

export class PortalClient implements PortalRequester {
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

  csrfToken(): Promise<string> {
    return csrfToken(this);
  }

  async session(): Promise<{ user?: { id: string; email: string; isAdmin: boolean; name?: string } } | null> {
    const res = await this.request("GET", "/api/auth/session");
    return (await res.json()) as { user?: { id: string; email: string; isAdmin: boolean } } | null;
  }

  hasSessionCookie(): boolean {
    return this.jar.names().some((n) => n.endsWith("authjs.session-token"));
  }
}

// Signs in through the local OpenID Connect provider (scripts/oidc/provider.ts) without a browser: cookie
// jars and redirects followed by hand, the person picked on the provider's sign-in page with a form POST as
// a browser would. Used by the sign-in integration tests (portal = the real Auth.js handlers in-process),
// the page benchmark and smoke checks of `npm start` (portal = a running server).

/** A minimal cookie jar for driving redirects by hand (ignores Path/Domain: one jar per site). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = "", v = ""] = a.split("=").map((s) => s.trim());
        if (k.toLowerCase() === "max-age") return Number(v) <= 0;
        if (k.toLowerCase() === "expires") return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  clear(): void {
    this.cookies.clear();
  }
}

/** What the sign-in helpers need of the portal: requests that keep the portal's cookies. */
export interface PortalRequester {
  readonly origin: string;
  readonly jar: CookieJar;
  request(method: "GET" | "POST", pathOrUrl: string, form?: Record<string, string>): Promise<Response>;
}

/** A running portal over HTTP (redirects are not followed). */
export class HttpPortal implements PortalRequester {
  readonly jar = new CookieJar();

  constructor(readonly origin: string) {}

  async request(method: "GET" | "POST", pathOrUrl: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    const cookie = this.jar.header();
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(new URL(pathOrUrl, this.origin), { method, headers, body, redirect: "manual" });
    this.jar.store(res);
    return res;
  }

  /** The `cookie` header value a client must send to act as the signed-in person. */
  cookieHeader(): string {
    return this.jar.header();
  }
}

export async function csrfToken(portal: PortalRequester): Promise<string> {
  const res = await portal.request("GET", "/api/auth/csrf");
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return csrfToken;
}

const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);

/** The people offered on a sign-in page of scripts/oidc/provider.ts: e-mail → the value its button submits. */
export function peopleOnPage(html: string): Map<string, string> {
  const people = new Map<string, string>();
  for (const m of html.matchAll(/<button type="submit" name="sub" value="([^"]*)"[^>]*>\s*<span class="email"[^>]*>([^<]*)<\/span>/g)) {
    people.set(unescapeHtml(m[2]!), unescapeHtml(m[1]!));
  }
  return people;
}

/** oidc-provider's self-submitting form page (form_post), as { action, fields }; undefined for any other page. */
export function autoSubmittedForm(html: string, base: string): { action: string; fields: Record<string, string> } | undefined {
  if (!html.includes("<title>Submitting Callback</title>")) return undefined;
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1];
  if (!action) return undefined;
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) fields[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  return { action: new URL(unescapeHtml(action), base).href, fields };
}

export type ProviderStop = { kind: "page"; url: string; html: string } | { kind: "back"; url: string };

/**
 * Follows redirects at the provider (with its own cookie jar) until it sends the browser back to `stopAt`
 * (the portal's callback) or shows a page (the sign-in page).
 */
export async function followProvider(start: string, idpJar: CookieJar, stopAt: string, init: RequestInit = {}, maxHops = 12): Promise<ProviderStop> {
  let location = start;
  let request = init;
  for (let hop = 0; hop < maxHops; hop++) {
    if (location.startsWith(stopAt)) return { kind: "back", url: location };
    const headers: Record<string, string> = { ...(request.headers as Record<string, string> | undefined) };
    const cookie = idpJar.header();
    if (cookie) headers.cookie = cookie;
    const res = await fetch(location, { ...request, headers, redirect: "manual" });
    idpJar.store(res);
    request = {}; // redirects are followed with GET
    const next = res.headers.get("location");
    if (!next) {
      const html = await res.text();
      const autoPost = autoSubmittedForm(html, location);
      if (res.status === 200 && autoPost) {
        // What a browser's script does at once (oidc-provider ends the previous person's session this way).
        location = autoPost.action;
        request = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(autoPost.fields).toString() };
        continue;
      }
      if (res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("text/html")) return { kind: "page", url: location, html };
      throw new Error(`the OIDC provider stopped at ${location} with ${res.status}: ${html.slice(0, 500)}`);
    }
    location = new URL(next, location).href;
  }
  throw new Error(`too many redirects at the OIDC provider (last: ${location})`);
}

/** Follows the provider's redirects back to `stopAt`; fails if it shows a page instead. */
export async function followIdpRedirects(start: string, idpJar: CookieJar, stopAt: string): Promise<string> {
  const stop = await followProvider(start, idpJar, stopAt);
  if (stop.kind === "page") throw new Error(`the OIDC provider showed a page at ${stop.url} instead of sending the browser back`);
  return stop.url;
}

export type ProviderSignIn = {
  /** The authorization request the portal sent the browser to. */
  authorize: URL;
  /** Where the provider sent the browser back to (the portal's callback, with `code` or `error`). */
  callback: URL;
  /** The portal's answer to the callback (a redirect: the callbackUrl when signed in, /signin?error=… when not). */
  res: Response;
  /** The provider's sign-in page, when it showed one. */
  page?: string;
};

/**
 * One sign-in through the provider, as a browser does it: the portal's sign-in action, the provider's
 * redirects, the person picked on its page (`as`: their e-mail) or the page cancelled (`as: "cancel"`),
 * and the portal's callback. With the "auto" provider (no page) `as` is not used.
 */
export async function signInThroughProvider(
  portal: PortalRequester,
  opts: { as?: string; idpJar?: CookieJar; callbackUrl?: string; providerId?: string } = {},
): Promise<ProviderSignIn> {
  const providerId = opts.providerId ?? "oidc";
  const idpJar = opts.idpJar ?? new CookieJar();
  const callbackPrefix = `${portal.origin}/api/auth/callback/${providerId}`;
  const start = await portal.request("POST", `/api/auth/signin/${providerId}`, { csrfToken: await csrfToken(portal), callbackUrl: opts.callbackUrl ?? "/" });
  const location = start.headers.get("location");
  if (start.status !== 302 || !location) throw new Error(`the portal did not redirect to the OIDC provider (${start.status} ${location ?? ""})`);
  const authorize = new URL(location);

  let stop = await followProvider(authorize.href, idpJar, callbackPrefix);
  let page: string | undefined;
  if (stop.kind === "page") {
    page = stop.html;
    const uid = /action="\/interaction\/([^/"]+)\/login"/.exec(page)?.[1];
    if (!uid) throw new Error(`not the provider's sign-in page (${stop.url}): ${page.slice(0, 300)}`);
    const base = new URL(stop.url).origin;
    let target: string;
    let form: Record<string, string> = {};
    if (opts.as === "cancel") {
      target = `${base}/interaction/${uid}/abort`;
    } else {
      const people = peopleOnPage(page);
      const sub = opts.as ? people.get(opts.as) : undefined;
      if (!sub) throw new Error(`${opts.as ?? "(nobody)"} is not on the provider's sign-in page (offered: ${[...people.keys()].join(", ")})`);
      target = `${base}/interaction/${uid}/login`;
      form = { sub };
    }
    stop = await followProvider(target, idpJar, callbackPrefix, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    if (stop.kind === "page") throw new Error(`the provider showed another page after the choice (${stop.url}): ${stop.html.slice(0, 300)}`);
  }
  const res = await portal.request("GET", stop.url);
  return { authorize, callback: new URL(stop.url), res, page };
}

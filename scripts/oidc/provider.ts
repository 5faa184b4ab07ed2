// A real OpenID Connect provider on localhost (`oidc-provider`), README: Security/§8. The one implementation
// behind every local sign-in: `npm start` (scripts/start/local-oidc.ts), the e2e tier, the page benchmark
// and the sign-in integration tests. Never imported by product code: the portal only ever sees an issuer
// URL, a client id and a secret, exactly as with Keycloak, Dex or Entra.
//
// Two ways to answer the login prompt:
//   - "page" (npm start, e2e, bench): a sign-in page lists the people with their groups; a person picks
//     themselves (no password) or cancels, which sends `error=access_denied` back to the portal. Every
//     authorization request shows the page, so after signing out one can sign in as someone else.
//   - "auto" (integration tests): the account chosen with loginAs() is signed in without a page, and the
//     provider's session is reused on the next authorization request (single sign-on), as real IdPs do.
// Consent is granted automatically in both: the portal is the provider's only, first-party client.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { interactionPolicy, type AdapterFactory, type ClientMetadata, type JWK, type KoaContextWithOIDC } from "oidc-provider";

// oidc-provider's own in-memory storage, one per provider, passed explicitly: sessions and codes live as long
// as the process, which is what a local provider wants (and oidc-provider then does not warn at every start).
const MEMORY_ADAPTER = "oidc-provider/lib/adapters/memory_adapter.js";
type MemoryAdapterModule = { createMemoryAdapter: (clockTolerance?: number) => AdapterFactory };

export type OidcAccount = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Sent as the `groups` claim, where `groupsIn` says. */
  groups?: string[];
  [claim: string]: unknown;
};

export type GroupsLocation = "both" | "userinfo" | "id_token";

export type InteractionMode = "page" | "auto";

export type OidcProviderHandle = {
  /** e.g. http://localhost:41234 (no trailing slash; it is what the discovery document says). */
  issuer: string;
  port: number;
  /** Adds or replaces an account; its claims are read at every token/userinfo request. */
  setAccount(account: OidcAccount): void;
  /** "auto" mode: the account the next interactive login signs in as. */
  loginAs(sub: string): void;
  /** Where the `groups` claim is sent from now on (Entra, for one, only puts groups in the ID token). */
  setGroupsIn(where: GroupsLocation): void;
  /** Number of interactive logins performed (a person picked on the page, or an automatic login). */
  logins(): number;
  /** Number of sign-ins cancelled on the page. */
  cancellations(): number;
  stop(): Promise<void>;
};

export type StartOidcProviderOptions = {
  clients: ClientMetadata[];
  accounts?: OidcAccount[];
  /** Default "auto". */
  interaction?: InteractionMode;
  /** Default "both". Profile claims (email, name) are always in both the ID token and userinfo. */
  groupsIn?: GroupsLocation;
  /** Default: any free port. */
  port?: number;
  /** The private signing key (RS256 JWK); default a fresh one. Keep it to keep ID tokens verifiable across restarts. */
  signingKey?: JWK;
  /** Keys for the provider's signed cookies; default fresh random ones. */
  cookieKeys?: string[];
  /** Heading of the sign-in page. */
  title?: string;
  /** A line under the heading of the sign-in page. */
  intro?: string;
};

/** A fresh RS256 private key as a JWK, for `signingKey`. */
export function newSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...(privateKey.export({ format: "jwk" }) as JWK), use: "sig", alg: "RS256", kid: `local-${randomBytes(4).toString("hex")}` };
}

export async function startOidcProvider(opts: StartOidcProviderOptions): Promise<OidcProviderHandle> {
  const mode = opts.interaction ?? "auto";
  const accounts = new Map<string, OidcAccount>((opts.accounts ?? []).map((a) => [a.sub, a]));
  let loginSub: string | undefined = opts.accounts?.[0]?.sub;
  let loginCount = 0;
  let cancelCount = 0;
  let groupsIn: GroupsLocation = opts.groupsIn ?? "both";

  // Listen first: the issuer needs the port. Only the loopback interface; the issuer says "localhost"
  // (docs/local-kubernetes.md: not 127.0.0.1, so the browser, the portal and the provider agree on one origin).
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}`;

  const policy = interactionPolicy.base();
  if (mode === "page") {
    // Ask who signs in on every authorization request, even with a provider session: a local provider with
    // no passwords is for switching between people.
    policy.get("login")!.checks.add(
      new interactionPolicy.Check("choose_person", "the person picks who signs in", "login_required", (ctx: KoaContextWithOIDC) =>
        (ctx.oidc as unknown as { result?: { login?: unknown } }).result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  }

  const { createMemoryAdapter } = (await import(MEMORY_ADAPTER)) as MemoryAdapterModule;
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(),
    clients: opts.clients,
    jwks: { keys: [opts.signingKey ?? newSigningKey()] },
    cookies: { keys: opts.cookieKeys ?? [randomBytes(32).toString("base64url")] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "groups"],
    },
    // Profile claims go into the ID token as well as userinfo (as Keycloak and Entra do).
    conformIdTokenClaims: false,
    ttl: { AccessToken: 600, AuthorizationCode: 60, ClientCredentials: 600, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy },
    async findAccount(_ctx, sub) {
      if (!accounts.has(sub)) return undefined;
      return {
        accountId: sub,
        // Read at claim time, so a test can change groups between two sign-ins.
        async claims(use) {
          const account = accounts.get(sub);
          if (!account) throw new Error(`OIDC provider: account ${sub} was removed`);
          const claims: Record<string, unknown> = { ...account };
          if ((use === "userinfo" && groupsIn === "id_token") || (use === "id_token" && groupsIn === "userinfo")) delete claims.groups;
          return claims as { sub: string };
        },
      };
    },
  });
  provider.on("server_error", (_ctx, err) => console.error("[oidc] server_error", err));
  const callback = provider.callback();

  server.on("request", (req, res) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    if (!path.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    void interact(req, res, path).catch((err: unknown) => {
      if (res.headersSent) return;
      res.statusCode = 500;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(`OIDC provider: the sign-in could not continue: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  async function interact(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session, grantId, uid } = details;
    const action = path.slice(`/interaction/${uid}`.length); // "", "/login" or "/abort"

    if (prompt.name === "login") {
      if (mode === "auto") {
        if (!loginSub || !accounts.has(loginSub)) throw new Error(`no account to log in as (${loginSub})`);
        loginCount++;
        await provider.interactionFinished(req, res, { login: { accountId: loginSub } }, { mergeWithLastSubmission: false });
        return;
      }
      if (req.method === "POST" && action === "/abort") {
        cancelCount++;
        await provider.interactionFinished(req, res, { error: "access_denied", error_description: "The person cancelled the sign-in." }, { mergeWithLastSubmission: false });
        return;
      }
      if (req.method === "POST" && action === "/login") {
        const form = new URLSearchParams(await readBody(req));
        const sub = form.get("sub") ?? "";
        if (!accounts.has(sub)) {
          sendPage(res, 400, signInPage({ uid, people: [...accounts.values()], opts, error: "Pick one of the people listed." }));
          return;
        }
        loginCount++;
        await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
        return;
      }
      sendPage(res, 200, signInPage({ uid, people: [...accounts.values()], opts }));
      return;
    }
    if (prompt.name === "consent") {
      const accountId = session?.accountId;
      if (!accountId) throw new Error("consent without a session");
      const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId, clientId: String(params.client_id) });
      if (!grant) throw new Error("grant not found");
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
      const savedGrantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId: savedGrantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new Error(`unsupported prompt ${prompt.name}`);
  }

  return {
    issuer,
    port,
    setAccount(account) {
      accounts.set(account.sub, account);
    },
    loginAs(sub) {
      loginSub = sub;
    },
    setGroupsIn(where) {
      groupsIn = where;
    },
    logins: () => loginCount,
    cancellations: () => cancelCount,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: http.IncomingMessage, limit = 16_384): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > limit) reject(new Error("request body too large"));
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function sendPage(res: http.ServerResponse, status: number, html: string) {
  res.statusCode = status;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.setHeader("x-frame-options", "DENY");
  // No form-action: browsers apply it to the redirects that follow a form POST too, and those end at the portal.
  res.setHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
  res.end(html);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The provider's sign-in page: one button per person (its accessible name is the e-mail; name and groups
 * describe it) and a Cancel button. Plain HTML forms, no script.
 */
export function signInPage({ uid, people, opts, error }: { uid: string; people: OidcAccount[]; opts: Pick<StartOidcProviderOptions, "title" | "intro">; error?: string }): string {
  const title = opts.title ?? "Local identity provider";
  const intro = opts.intro ?? "Pick who you are. There is no password: this provider is for local use only.";
  const items = people
    .map((p, i) => {
      const email = p.email ?? p.sub;
      const groups = p.groups ?? [];
      const groupList = groups.length
        ? groups.map((g) => `<code>${escapeHtml(g)}</code>`).join(" ")
        : `<span class="none">no groups</span>`;
      // The button holds only the e-mail, so its name is exactly what it shows (axe: label-content-name-mismatch);
      // its ::after covers the whole card, so a click anywhere on it still picks the person.
      return `<li><button type="submit" name="sub" value="${escapeHtml(p.sub)}" aria-describedby="p${i}-desc">
  <span class="email" id="p${i}-email">${escapeHtml(email)}</span>
</button>
<span class="desc" id="p${i}-desc">${escapeHtml(p.name ?? "")}${p.name ? " · " : ""}groups: ${groupList}</span></li>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; background: #f1f5f9; color: #0f172a; margin: 0; display: flex; justify-content: center; padding: 48px 16px; }
  main { background: #fff; border: 1px solid #e2e8f0; border-radius: 16px; padding: 28px 32px; max-width: 520px; width: 100%; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  p { color: #475569; margin: 0 0 16px; font-size: 14px; }
  ul { list-style: none; padding: 0; margin: 0 0 16px; display: grid; gap: 8px; }
  button { font: inherit; cursor: pointer; }
  li { position: relative; background: #fff; border: 1px solid #cbd5e1; border-radius: 10px; padding: 10px 14px; display: flex; flex-direction: column; gap: 2px; }
  li:hover, li:has(button:focus-visible) { border-color: #4f46e5; background: #eef2ff; }
  li:has(button:focus-visible) { outline: 2px solid #3730a3; outline-offset: 2px; }
  li button { background: none; border: 0; padding: 0; text-align: left; color: inherit; outline: none; }
  li button::after { content: ""; position: absolute; inset: 0; border-radius: 10px; }
  .email { font-weight: 600; }
  .desc { font-size: 12px; color: #475569; }
  code { background: #f1f5f9; border-radius: 4px; padding: 0 4px; font-size: 12px; }
  .none { font-style: italic; }
  .cancel { background: none; border: 1px solid #cbd5e1; border-radius: 10px; padding: 8px 14px; color: #334155; }
  .error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 10px; padding: 8px 12px; }
</style>
</head>
<body>
<main>
  <h1>${escapeHtml(title)}</h1>
  <p>${escapeHtml(intro)}</p>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
  <form method="post" action="/interaction/${escapeHtml(uid)}/login" aria-label="People">
    <ul>
${items}
    </ul>
  </form>
  <form method="post" action="/interaction/${escapeHtml(uid)}/abort">
    <button type="submit" class="cancel">Cancel</button>
  </form>
</main>
</body>
</html>`;
}

// A real OpenID Connect provider for tests (DESIGN.md §8): `oidc-provider` on localhost with a client for
// the portal and accounts whose claims a test can change between sign-ins. Login and consent are
// automatic (no form): the interaction endpoint signs in the account chosen with `loginAs()` and grants
// what the client asked for. Test-only; never imported by the app.
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type ClientMetadata } from "oidc-provider";

export type TestIdpAccount = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Sent as the `groups` claim, where `groupsIn` says. */
  groups?: string[];
  [claim: string]: unknown;
};

export type TestIdp = {
  /** e.g. http://localhost:41234 (no trailing slash; it is what the discovery document says). */
  issuer: string;
  /** Adds or replaces an account; its claims are read at every token/userinfo request. */
  setAccount(account: TestIdpAccount): void;
  /** The account the next interactive login signs in as. */
  loginAs(sub: string): void;
  /** Where the `groups` claim is sent from now on (Entra, for one, only puts groups in the ID token). */
  setGroupsIn(where: GroupsLocation): void;
  /** Number of interactive logins performed, for assertions. */
  logins(): number;
  stop(): Promise<void>;
};

export type GroupsLocation = "both" | "userinfo" | "id_token";

export type StartTestIdpOptions = {
  clients: ClientMetadata[];
  accounts?: TestIdpAccount[];
  /** Default "both". Profile claims (email, name) are always in both the ID token and userinfo. */
  groupsIn?: GroupsLocation;
  port?: number;
};

export async function startTestIdp(opts: StartTestIdpOptions): Promise<TestIdp> {
  const accounts = new Map<string, TestIdpAccount>((opts.accounts ?? []).map((a) => [a.sub, a]));
  let loginSub: string | undefined = opts.accounts?.[0]?.sub;
  let loginCount = 0;
  let groupsIn: GroupsLocation = opts.groupsIn ?? "both";

  // Listen first: the issuer needs the port. Only the loopback interface; the issuer says "localhost".
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256", kid: "test-idp" };

  const provider = new Provider(issuer, {
    clients: opts.clients,
    jwks: { keys: [jwk as never] },
    cookies: { keys: ["vcluster-portal-test-idp"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "groups"],
    },
    // Profile claims go into the ID token as well as userinfo (as Keycloak and Entra do).
    conformIdTokenClaims: false,
    ttl: { AccessToken: 600, AuthorizationCode: 60, ClientCredentials: 600, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      if (!accounts.has(sub)) return undefined;
      return {
        accountId: sub,
        // Read at claim time, so a test can change groups between two sign-ins.
        async claims(use) {
          const account = accounts.get(sub);
          if (!account) throw new Error(`test IdP: account ${sub} was removed`);
          const claims: Record<string, unknown> = { ...account };
          if ((use === "userinfo" && groupsIn === "id_token") || (use === "id_token" && groupsIn === "userinfo")) delete claims.groups;
          return claims as { sub: string };
        },
      };
    },
  });
  provider.on("server_error", (_ctx, err) => console.error("test IdP server_error", err));
  const callback = provider.callback();

  server.on("request", (req, res) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    if (!path.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    void interact(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(`test IdP interaction failed: ${String(err)}`);
    });
  });

  async function interact(req: http.IncomingMessage, res: http.ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session, grantId } = details;
    if (prompt.name === "login") {
      if (!loginSub || !accounts.has(loginSub)) throw new Error(`test IdP: no account to log in as (${loginSub})`);
      loginCount++;
      await provider.interactionFinished(req, res, { login: { accountId: loginSub } }, { mergeWithLastSubmission: false });
      return;
    }
    if (prompt.name === "consent") {
      const accountId = session?.accountId;
      if (!accountId) throw new Error("test IdP: consent without a session");
      const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId, clientId: String(params.client_id) });
      if (!grant) throw new Error("test IdP: grant not found");
      const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
      const savedGrantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId: savedGrantId } }, { mergeWithLastSubmission: true });
      return;
    }
    throw new Error(`test IdP: unsupported prompt ${prompt.name}`);
  }

  return {
    issuer,
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
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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

  clear(): void {
    this.cookies.clear();
  }
}

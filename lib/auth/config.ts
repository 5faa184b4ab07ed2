// Auth.js v5 configuration (README: Security).
//
// - A generic OpenID Connect provider ("oidc"), present only when AUTH_OIDC_ISSUER/CLIENT_ID/CLIENT_SECRET
//   are set. PKCE, state and nonce are checked. Every sign-in re-syncs the groups claim into the admin
//   flag and team memberships (lib/auth/sync-groups.ts).
//   It is the only sign-in: `npm start` and the e2e tier run a local OpenID Connect provider
//   (scripts/oidc/provider.ts) and sign in through this same code.
// - Sessions are JWTs. The token carries the user id and isAdmin; lib/auth/session.ts re-reads the user
//   and memberships from the database on every request, so changes apply at once and a deleted user is
//   signed out.
//
// The configuration is built lazily on the first request (NextAuth(() => config)), so importing this
// module does not read the environment: `next build` works without runtime secrets.
import NextAuth, { type DefaultSession, type NextAuthConfig } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { ConfigError, env, oidcConfigured, type Env } from "@/lib/env";
import { db, type Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { readGroupsClaim, syncGroups } from "@/lib/auth/sync-groups";
import { EMAIL_UNVERIFIED_CODE } from "@/lib/auth/messages";

declare module "next-auth" {
  interface Session {
    user: { id: string; isAdmin: boolean } & DefaultSession["user"];
  }
  interface User {
    isAdmin?: boolean;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    isAdmin?: boolean;
    /** Seconds since epoch of the interactive sign-in; bounds the session's absolute lifetime. */
    authTime?: number;
  }
}

export const OIDC_PROVIDER_ID = "oidc";

/** Idle timeout of a session (the cookie is refreshed when the session is read through /api/auth/session). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/**
 * Absolute lifetime: after this the person signs in again, so IdP group changes and deactivations reach
 * the portal within this bound even for sessions kept alive by activity.
 */
export const SESSION_ABSOLUTE_MAX_SECONDS = 24 * 60 * 60;

/** Auth.js error types a person causes (cancelled, replayed or expired sign-in, refused profile): logged as warnings. */
const EXPECTED_AUTH_ERRORS = new Set(["AccessDenied", "InvalidCheck", "OAuthCallbackError", "Verification", "MissingCSRF"]);

/**
 * AUTH_SECRET signs and encrypts the session cookie. It is always required: there is no built-in or derived
 * one. `npm start` generates one on first start (.data/secrets.json), the test tiers make one per run.
 */
export function authSecret(e: Env = env()): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  throw new ConfigError(["AUTH_SECRET is required: at least 32 random characters (openssl rand -base64 32); npm start generates one into .data/secrets.json"]);
}

type OidcClaims = Record<string, unknown> & {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
};

/** Where a refused OIDC sign-in lands: the sign-in page with a message saying why. */
export const EMAIL_UNVERIFIED_URL = `/signin?${new URLSearchParams({ error: "AccessDenied", code: EMAIL_UNVERIFIED_CODE })}`;

/**
 * What the IdP says about the e-mail address: userinfo first, then the ID token. true / false (also as the
 * strings some IdPs send), or undefined when neither says anything.
 */
export function emailVerifiedClaim(...sources: (Record<string, unknown> | null | undefined)[]): boolean | undefined {
  for (const claims of sources) {
    const v = claims?.email_verified;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
  }
  return undefined;
}

/** Claims of an ID token the OAuth library has already validated (issuer, audience, nonce, expiry). */
function idTokenClaims(idToken: unknown): Record<string, unknown> | undefined {
  if (typeof idToken !== "string") return undefined;
  const payload = idToken.split(".")[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function oidcProvider(e: Env): OIDCConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: e.AUTH_OIDC_NAME,
    type: "oidc",
    issuer: e.AUTH_OIDC_ISSUER,
    clientId: e.AUTH_OIDC_CLIENT_ID,
    clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: e.AUTH_OIDC_SCOPES } },
    // Read the profile from the userinfo endpoint: in the code flow many IdPs (and oidc-provider by
    // default) put profile claims only there. The groups claim falls back to the ID token's.
    idToken: false,
    // The portal trusts exactly one, administrator-configured IdP; users that exist already (created by
    // an admin, or the IdP's account was re-created) are linked by their e-mail — but only when the IdP
    // says `email_verified: true`: signIn() below refuses the link otherwise, and any profile whose
    // e-mail the IdP marks unverified.
    allowDangerousEmailAccountLinking: true,
    profile(claims) {
      const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : undefined;
      const fullName = [claims.given_name, claims.family_name].filter((p) => typeof p === "string" && p).join(" ");
      return {
        id: claims.sub,
        email,
        name: claims.name ?? (fullName || claims.preferred_username || email || null),
        image: typeof claims.picture === "string" ? claims.picture : null,
      };
    },
    // Store only what the portal needs; it never calls the IdP's APIs on the user's behalf, so access and
    // refresh tokens are not kept. The ID token is kept for an RP-initiated logout (id_token_hint).
    account(tokens) {
      return {
        token_type: tokens.token_type?.toLowerCase() as Lowercase<string> | undefined,
        scope: tokens.scope,
        expires_at: tokens.expires_at,
        id_token: tokens.id_token,
      };
    },
  };
}

/** The whole Auth.js configuration. Exposed for tests; the app uses the handlers below. */
export function buildAuthConfig(e: Env = env(), prisma: Db = db()): NextAuthConfig {
  const providers: NextAuthConfig["providers"] = [];
  if (oidcConfigured(e)) providers.push(oidcProvider(e));
  if (providers.length === 0) {
    log.warn("no sign-in method is configured: set AUTH_OIDC_ISSUER/CLIENT_ID/CLIENT_SECRET (npm start runs a local OpenID Connect provider and sets them)");
  }
  const logger = log.child({ component: "auth" });

  return {
    // Prisma 7's generated client is structurally the adapter's client; the adapter only uses model delegates.
    adapter: PrismaAdapter(prisma as unknown as Parameters<typeof PrismaAdapter>[0]),
    providers,
    secret: authSecret(e),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      error: (error) => {
        const type = (error as { type?: string }).type;
        // Failures a person causes (cancelled, expired or replayed sign-in, refused profile) are expected.
        if (type && EXPECTED_AUTH_ERRORS.has(type)) logger.warn({ type, reason: error.message }, "sign-in refused");
        else logger.error({ err: error, type }, "auth error");
      },
      warn: (code) => logger.warn({ code }, "auth warning"),
      debug: (message, metadata) => logger.debug({ metadata }, message),
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const email = profile?.email;
        if (typeof email !== "string" || email.trim() === "") {
          logger.warn({ sub: profile?.sub }, "OIDC sign-in refused: the IdP sent no e-mail claim (request the 'email' scope)");
          return false;
        }
        const verified = emailVerifiedClaim(profile as Record<string, unknown> | undefined, idTokenClaims(account.id_token));
        if (verified === false) {
          logger.warn({ sub: profile?.sub }, "OIDC sign-in refused: the IdP marks the e-mail as unverified");
          return EMAIL_UNVERIFIED_URL;
        }
        if (verified === true) return true;
        // No claim either way: fine for someone signing in again (the account is linked already) or for a
        // new person, but Auth.js would link this IdP subject to an existing user by e-mail: refuse that.
        const linked = await prisma.account.findUnique({
          where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
          select: { userId: true },
        });
        if (linked) return true;
        const existing = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
        if (existing) {
          logger.warn({ sub: profile?.sub, userId: existing.id }, "OIDC sign-in refused: linking to an existing user by e-mail needs email_verified: true from the IdP");
          return EMAIL_UNVERIFIED_URL;
        }
        return true;
      },

      async jwt({ token, user, account, profile }) {
        if (user && account) {
          // An interactive sign-in: `user` is the database user.
          const userId = user.id;
          if (!userId) throw new Error("sign-in produced a user without an id");
          token.sub = userId;
          token.authTime = Math.floor(Date.now() / 1000);
          token.isAdmin = user.isAdmin ?? false;
          if (account.provider === OIDC_PROVIDER_ID) {
            const claim = e.AUTH_OIDC_GROUPS_CLAIM;
            const groups =
              readGroupsClaim(profile as Record<string, unknown> | undefined, claim) ?? readGroupsClaim(idTokenClaims(account.id_token), claim);
            const result = await syncGroups(prisma, userId, groups, { adminGroup: e.AUTH_OIDC_ADMIN_GROUP, teamPrefix: e.AUTH_OIDC_TEAM_PREFIX }, logger);
            token.isAdmin = result.isAdmin;
          }
          return token;
        }
        // A later read of the session: enforce the absolute lifetime.
        const now = Math.floor(Date.now() / 1000);
        if (typeof token.authTime !== "number" || now - token.authTime > SESSION_ABSOLUTE_MAX_SECONDS) return null;
        return token;
      },

      session({ session, token }) {
        session.user.id = token.sub ?? "";
        session.user.isAdmin = token.isAdmin === true;
        return session;
      },
    },
    events: {
      async signIn({ user, account }) {
        if (!user.id || !account) return;
        try {
          await prisma.auditEvent.create({
            data: {
              actorId: user.id,
              actorEmail: user.email ?? null,
              action: "auth.signed_in",
              targetType: "user",
              targetId: user.id,
              details: { provider: account.provider },
            },
          });
        } catch (err) {
          logger.error({ err }, "could not record the sign-in audit event");
        }
      },
    },
  };
}

let memo: NextAuthConfig | undefined;

export const { handlers, auth, signIn, signOut } = NextAuth(() => (memo ??= buildAuthConfig()));

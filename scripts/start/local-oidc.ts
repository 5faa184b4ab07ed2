// The local OpenID Connect provider of `npm start`: scripts/oidc/provider.ts with a sign-in page listing the
// seeded people and their groups (scripts/oidc/people.ts), one confidential client for the portal, and the
// keys kept in .data/secrets.json. The portal talks to it exactly as to a company IdP (AUTH_OIDC_*).
import type { JWK } from "oidc-provider";
import { localPeople, type GroupNames } from "../oidc/people";
import { startOidcProvider, type OidcProviderHandle } from "../oidc/provider";

export const LOCAL_OIDC_CLIENT_ID = "vcluster-portal-local";

export type LocalOidc = OidcProviderHandle & { clientId: string; clientSecret: string };

export async function startLocalOidc(opts: {
  /** The portal's public URL (AUTH_URL), e.g. http://localhost:3000. */
  portalUrl: string;
  port: number;
  clientSecret: string;
  cookieKey: string;
  signingKey: JWK;
  groups?: GroupNames;
}): Promise<LocalOidc> {
  const idp = await startOidcProvider({
    interaction: "page",
    port: opts.port,
    clients: [
      {
        client_id: LOCAL_OIDC_CLIENT_ID,
        client_secret: opts.clientSecret,
        redirect_uris: [`${opts.portalUrl}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${opts.portalUrl}/signin`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    accounts: localPeople(opts.groups),
    signingKey: opts.signingKey,
    cookieKeys: [opts.cookieKey],
    title: "Local identity provider",
    intro:
      "npm start runs this OpenID Connect provider in place of your company's (Keycloak, Dex, Entra…). Pick who you are — there is no password. " +
      "The groups are sent in the groups claim and become the person's teams and admin rights in the portal.",
  });
  return Object.assign(idp, { clientId: LOCAL_OIDC_CLIENT_ID, clientSecret: opts.clientSecret });
}

// gatehouse.dev/v1alpha1 BrowserLogin: the gateway as an OpenID Connect relying party for
// browsers (docs/sso.md). A navigation to a targeted route without credentials is sent to the
// issuer's login; the tokens come back into an encrypted, HttpOnly session cookie whose access
// token is then verified like any bearer token.
import { z } from 'zod';
import { absoluteUrlSchema, durationSchema, resourceSchema, targetRefSchema } from './common.ts';
import { secretSourceSchema } from './secret-source.ts';

const pathSchema = z
  .string()
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, { error: 'must be an absolute path such as "/_gatehouse/callback"' });

export const browserLoginSpecSchema = z
  .strictObject({
    targetRefs: z.array(targetRefSchema).optional().describe('Gateways and HTTPRoutes whose browser navigations log in (default: every route)'),
    issuer: absoluteUrlSchema.describe('OpenID Provider; its endpoints come from {issuer}/.well-known/openid-configuration'),
    clientId: z.string().min(1).describe('The client registered for this gateway at the issuer'),
    clientSecret: secretSourceSchema.describe('Its secret (client_secret_basic)'),
    scopes: z.array(z.string().min(1)).min(1).optional().describe('Requested scopes (default openid profile email offline_access); must include openid'),
    resource: absoluteUrlSchema.optional().describe('RFC 8707 resource indicator: the audience of the access tokens the session holds'),
    callbackPath: pathSchema.optional().describe('Where the issuer sends the browser back (default /_gatehouse/callback)'),
    logoutPath: pathSchema.optional().describe('Ends the session and the issuer session (default /_gatehouse/logout)'),
    postLogoutPath: pathSchema.optional().describe('Where the browser lands after logout (default /)'),
    externalUrl: absoluteUrlSchema
      .optional()
      .describe('The public origin (e.g. "https://app.example.com") when TLS ends in front of the gateway: callback and post-logout URLs are built from it, not from the Host header'),
    cookie: z
      .strictObject({
        name: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'letters, digits, "_" and "-" only' }).optional()
          .describe('Session cookie name (default __Host-gatehouse when Secure, else gatehouse_session)'),
        keys: z.array(secretSourceSchema).min(1).describe('32-byte encryption keys (base64, base64url or hex); the first encrypts, all decrypt'),
        secure: z.union([z.literal('auto'), z.boolean()]).optional().describe('Secure attribute (default auto: off only for plain HTTP on a loopback host)'),
      })
      .describe('The encrypted session cookie'),
    sessionLifetime: durationSchema.optional().describe('Longest a session lasts, whatever the refreshes (default 8h)'),
    timeout: durationSchema.optional().describe('Timeout of each call to the issuer (default 5s)'),
  })
  .describe('Browser single sign-on through the gateway (OpenID Connect authorization code + PKCE)');

export const browserLoginSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'BrowserLogin', browserLoginSpecSchema);
export type BrowserLoginResource = z.infer<typeof browserLoginSchema>;

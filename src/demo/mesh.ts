// The demo's zero-trust pair (issue #8): the order service calls the user service over mutual
// TLS with a client-credentials token (client demo-m2m, audience = the user service), and the
// user service refuses a direct call that bypasses the gateway. The lead's demo passes where the
// identity service and the CA are and which client to use; everything else has defaults.
import { createServer as createHttpServer, type Server } from 'node:http';
import { clientCredentials, createMtlsServer, mtlsFetch, type MtlsFetch } from '../../packages/sdk/src/index.ts';
import { closeServer, listen } from './listen.ts';
import { meshOrdersHandler } from './mesh-orders.ts';
import { meshUsersHandler } from './mesh-users.ts';
import { startDemoWorkload, type DemoWorkload, type MeshCertificateSource } from './mesh-workloads.ts';

export interface MeshDemoOptions {
  readonly host?: string;
  /** Ports of the user (HTTPS, mTLS) and order (HTTP, behind the gateway) services; 0 = any. */
  readonly ports?: { readonly users?: number; readonly orders?: number };
  /** The identity service's issuer URL (discovery gives the token endpoint and JWKS). */
  readonly identityUrl: string;
  /** The order service's client: client_credentials for the user service's audience. */
  readonly client: { readonly id: string; readonly secret: string };
  /** Audience of tokens for the user service (a resource of the identity service). */
  readonly usersAudience: string;
  readonly certificates: MeshCertificateSource;
  /** SPIFFE trust domain of the CA (the IDs are spiffe://TD/ns/demo/sa/{users,orders,gateway}). */
  readonly trustDomain: string;
  /** When the gateway forwards to the user service with an internal token: how to verify it. */
  readonly gateway?: { readonly jwksUrl: string; readonly issuer: string; readonly audience: string };
}

export interface MeshDemo {
  readonly urls: { readonly users: string; readonly orders: string };
  readonly spiffeIds: { readonly users: string; readonly orders: string; readonly gateway: string };
  close(): Promise<void>;
}

export function meshSpiffeId(trustDomain: string, name: string): string {
  return `spiffe://${trustDomain}/ns/demo/sa/${name}`;
}

/** Token endpoint and JWKS from OpenID Connect Discovery §4, fetched once when first needed. */
interface Discovery {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
}

function discovery(identityUrl: string): () => Promise<Discovery> {
  let pending: Promise<Discovery> | undefined;
  return () => {
    pending ??= fetch(new URL('/.well-known/openid-configuration', identityUrl)).then(async (response) => {
      if (!response.ok) throw new Error(`identity discovery answered ${response.status}`);
      return (await response.json()) as Discovery;
    });
    pending.catch(() => (pending = undefined));
    return pending;
  };
}

export async function startMeshDemo(options: MeshDemoOptions): Promise<MeshDemo> {
  const host = options.host ?? '127.0.0.1';
  const spiffeIds = {
    users: meshSpiffeId(options.trustDomain, 'users'),
    orders: meshSpiffeId(options.trustDomain, 'orders'),
    gateway: meshSpiffeId(options.trustDomain, 'gateway'),
  };
  const discover = discovery(options.identityUrl);
  const workloads: DemoWorkload[] = [];
  const servers: Server[] = [];
  let callUsers: MtlsFetch | undefined;
  const close = async () => {
    callUsers?.close();
    await Promise.all(servers.map(closeServer));
    for (const workload of workloads) workload.close();
  };
  try {
    const users = await startDemoWorkload(options.certificates, 'users', spiffeIds.users);
    workloads.push(users);
    const orders = await startDemoWorkload(options.certificates, 'orders', spiffeIds.orders);
    workloads.push(orders);

    const usersServer = createMtlsServer(
      { identity: users.identity, allowedSpiffeIds: [spiffeIds.gateway, spiffeIds.orders] },
      meshUsersHandler({
        identity: discover,
        audience: options.usersAudience,
        gateway: options.gateway,
      }),
    );
    servers.push(usersServer);
    const usersPort = await listen(usersServer, host, options.ports?.users ?? 0, 'demo user service (mTLS)');
    const usersUrl = `https://${host}:${usersPort}`;

    callUsers = mtlsFetch({
      identity: orders.identity,
      serverSpiffeId: spiffeIds.users,
      credentials: lazyCredentials(discover, options),
      audience: options.usersAudience,
    });
    const ordersServer = createHttpServer(meshOrdersHandler(callUsers, usersUrl));
    servers.push(ordersServer);
    const ordersPort = await listen(ordersServer, host, options.ports?.orders ?? 0, 'demo order service');
    return { urls: { users: usersUrl, orders: `http://${host}:${ordersPort}` }, spiffeIds, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Client credentials whose token URL comes from discovery on first use (the identity service may start later). */
function lazyCredentials(discover: ReturnType<typeof discovery>, options: MeshDemoOptions) {
  let client: ReturnType<typeof clientCredentials> | undefined;
  return {
    async token(request?: { audience?: string; scope?: string }) {
      client ??= clientCredentials({
        tokenUrl: (await discover()).token_endpoint,
        clientId: options.client.id,
        clientSecret: options.client.secret,
        // RFC 8707: Gatehouse identity (oidc-provider) names the audience with `resource`.
        audienceParameter: 'resource',
      });
      return client.token(request);
    },
  };
}

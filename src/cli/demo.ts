// `gatehouse demo` (what `npm start` runs): the identity service as the issuer
// (examples/identity/demo.yaml), the seeds' demo services and the gateway serving
// examples/quickstart/, all on loopback at fixed ports so the docs' curl lines work. Ctrl-C stops
// everything it started.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway, type RunningGateway } from '../gateway/start-gateway.ts';
import { createDemoCa, type DemoCa } from '../demo/demo-ca.ts';
import { DEMO_M2M_CLIENT, startDemoIdentity, type DemoIdentity } from '../demo/demo-identity.ts';
import { startMeshDemo, type MeshDemo } from '../demo/mesh.ts';
import { PortInUseError } from '../demo/listen.ts';
import { DEMO_SERVICE_PORTS, startDemoServices, type DemoServices } from '../demo/services.ts';
import { CommandFailure } from './cli-errors.ts';
import { DEMO_AUDIENCES, demoBanner } from './demo-banner.ts';
import { parseLogLevel } from './log-level.ts';
import { parseCommandArgs } from './parse-command-args.ts';
import { waitForStopSignal } from './stop-signal.ts';

const QUICKSTART_CONFIG = fileURLToPath(new URL('../../examples/quickstart/', import.meta.url));
const DEMO_ADMIN_ADDRESS = '127.0.0.1:9901';
/** The user service of the zero-trust pair: HTTPS with client certificates only, not behind the gateway. */
const MESH_USERS_PORT = 9005;

const DEMO_HELP = `Usage: gatehouse demo [--log-level LEVEL]

Start, on 127.0.0.1:
  9000        the identity service (examples/identity/demo.yaml; SQLite in data/demo/)
              with the demo users alice and bob and the client demo-m2m
  9001-9004   the demo services coffee, tea (seed 001) and user, order (seed 000)
  9005        the user service over mutual TLS only, which the order service calls with
              a demo-m2m client-credentials token (certificates from a throwaway CA)
  8080        the gateway, configured by examples/quickstart/
  9901        the gateway's admin listener (/healthz, /readyz, /metrics)
then print curl lines to try. Ctrl-C stops everything. Fails if a port is taken.

Options:
  --log-level LEVEL  gateway log level (default info: one JSON access-log line per request)
  -h, --help         show this help
`;

/** A gateway listener that cannot bind fails with the socket's EADDRINUSE; name the port. */
function explainStartFailure(error: unknown): unknown {
  if (error instanceof PortInUseError) return new CommandFailure(error.code, error.message);
  const socketError = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (socketError.code === 'EADDRINUSE') {
    const where = socketError.port === undefined ? '' : ` ${socketError.address ?? '127.0.0.1'}:${socketError.port}`;
    return new CommandFailure('ERR_PORT_IN_USE', `the gateway cannot listen on${where}: the port is already in use (is another demo still running?)`);
  }
  return error;
}

export async function runDemo(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { command: 'demo', help: DEMO_HELP, options: { 'log-level': { type: 'string' } } });
  if (!parsed) return 0;
  const logLevel = parseLogLevel('demo', parsed.values['log-level']) ?? 'info';

  let issuer: DemoIdentity | undefined;
  let ca: DemoCa | undefined;
  let mesh: MeshDemo | undefined;
  let services: DemoServices | undefined;
  let gateway: RunningGateway | undefined;
  const stopAll = async () => {
    await gateway?.close();
    await services?.close();
    await mesh?.close();
    await ca?.remove();
    await issuer?.service.close();
  };
  try {
    issuer = await startDemoIdentity();
    ca = await createDemoCa();
    // The order service (behind the gateway) calls the user service over mTLS with its own
    // client-credentials token; the echoing user service stays the gateway's /users upstream.
    mesh = await startMeshDemo({
      identityUrl: issuer.url,
      client: DEMO_M2M_CLIENT,
      usersAudience: DEMO_AUDIENCES.users,
      certificates: { dir: ca.dir },
      trustDomain: ca.trustDomain,
      ports: { orders: DEMO_SERVICE_PORTS.order, users: MESH_USERS_PORT },
    });
    services = await startDemoServices({ exclude: ['order'] });
    gateway = await startGateway({ configPath: QUICKSTART_CONFIG, adminAddress: DEMO_ADMIN_ADDRESS, logLevel });
  } catch (error) {
    await stopAll();
    throw explainStartFailure(error);
  }

  const listener = Object.values(gateway.listeners)[0];
  process.stdout.write(
    demoBanner({
      gateway: `http://${listener.address}:${listener.port}`,
      admin: `http://${DEMO_ADMIN_ADDRESS}`,
      issuer: issuer.url,
      identityStore: relative(process.cwd(), issuer.storePath) || issuer.storePath,
      services: { ...services.urls, order: mesh.urls.orders },
      mesh: { users: mesh.urls.users, orders: mesh.urls.orders, spiffeIds: mesh.spiffeIds },
    }),
  );
  await waitForStopSignal();
  process.stderr.write('\nstopping the demo…\n');
  await stopAll();
  process.stderr.write('demo stopped\n');
  return 0;
}

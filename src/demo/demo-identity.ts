// The demo's issuer: the real identity service (src/identity/) configured by
// examples/identity/demo.yaml, with the documented demo users added when they are missing — so a
// restart on the same ./data/demo/ store keeps API tokens and keys and adds nothing twice.
import { fileURLToPath } from 'node:url';
import { createAccounts } from '../identity/accounts.ts';
import { loadIdentityConfig, type IdentityConfig } from '../identity/identity-config.ts';
import { createLoginThrottle } from '../identity/login-throttle.ts';
import { startIdentityService, type IdentityLogger, type IdentityService } from '../identity/start-identity.ts';
import { PortInUseError } from './listen.ts';

export const DEMO_IDENTITY_CONFIG = fileURLToPath(new URL('../../examples/identity/demo.yaml', import.meta.url));

/** DEMO ONLY: documented in README.md and docs/demo.md; never use these anywhere else. */
export const DEMO_USERS = [
  { username: 'alice', password: 'alice-password', roles: ['user'], name: 'Alice' },
  { username: 'bob', password: 'bob-password', roles: ['admin'], name: 'Bob' },
] as const;

/** DEMO ONLY: the confidential client of examples/identity/demo.yaml the demo order service uses. */
export const DEMO_M2M_CLIENT = { id: 'demo-m2m', secret: 'demo-m2m-secret' } as const;

export interface DemoIdentity {
  readonly service: IdentityService;
  readonly config: IdentityConfig;
  /** The issuer URL, http://127.0.0.1:9000. */
  readonly url: string;
  /** Where the SQLite store lives (shown in the banner). */
  readonly storePath: string;
}

/** Warnings and errors to stderr as JSON lines (the gateway's access log goes to stdout); no token ever reaches a log field. */
const stderrLogger: IdentityLogger = {
  info: () => undefined,
  warn: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', service: 'identity', msg: message, ...fields })}\n`),
  error: (fields, message) => process.stderr.write(`${JSON.stringify({ level: 'error', service: 'identity', msg: message, ...fields })}\n`),
};

export async function startDemoIdentity(options: { configPath?: string; port?: number } = {}): Promise<DemoIdentity> {
  const loaded = await loadIdentityConfig(options.configPath ?? DEMO_IDENTITY_CONFIG);
  const config: IdentityConfig = options.port === undefined ? loaded : { ...loaded, listen: { ...loaded.listen, port: options.port } };
  let service: IdentityService;
  try {
    service = await startIdentityService(config, { logger: stderrLogger });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError('the identity service', config.listen.host, config.listen.port);
    throw error;
  }
  try {
    const accounts = createAccounts({ store: service.store, throttle: createLoginThrottle(service.store.throttle, config.lockout) });
    for (const user of DEMO_USERS) {
      if (await service.store.users.findByUsername(user.username)) continue;
      await accounts.addUser({ username: user.username, password: user.password, roles: [...user.roles], name: user.name });
    }
  } catch (error) {
    await service.close();
    throw error;
  }
  const storePath = config.storage.driver === 'sqlite' ? config.storage.path : 'PostgreSQL';
  return { service, config, url: config.issuer, storePath };
}

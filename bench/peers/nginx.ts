// nginx `proxy_pass` with no authentication at all: the ceiling of one proxy hop on this
// machine, against which every authenticating peer is read.
import { join } from 'node:path';
import { startNginx } from '../nginx.ts';
import { findFreePort, firstOutputLine } from '../process.ts';
import type { PeerDefinition } from './peer.ts';

export const nginxPlainProxy: PeerDefinition = {
  id: 'nginx',
  description: 'nginx proxy_pass, no auth (one-hop limit), 1 worker process, upstream keepalive',
  authenticates: false,
  requiredCommands: [{ command: 'nginx', debianPackage: 'nginx-light' }],
  version: () => firstOutputLine('nginx', ['-v']),
  async start(env) {
    const port = await findFreePort();
    const proc = await startNginx({
      name: 'nginx proxy',
      prefixDir: join(env.workDir, 'nginx-proxy'),
      port,
      httpDirectives: `  upstream bench_upstream {\n    server ${new URL(env.upstreamUrl).host};\n    keepalive 128;\n  }`,
      locationDirectives: [
        '      proxy_pass http://bench_upstream;',
        '      proxy_http_version 1.1;',
        '      proxy_set_header Connection "";',
      ].join('\n'),
      cpus: env.peerCpus,
    });
    return { url: `http://127.0.0.1:${port}/`, rootPid: proc.pid, stop: () => proc.stop() };
  },
};

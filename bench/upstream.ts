// The one upstream every peer proxies to: nginx answering a small JSON body with keep-alive,
// so the upstream is never the bottleneck being measured.
import { join } from 'node:path';
import { startNginx } from './nginx.ts';
import { findFreePort, type ManagedProcess } from './process.ts';

export const UPSTREAM_BODY = '{"service":"bench-upstream","ok":true}';

export interface RunningUpstream {
  url: string;
  process: ManagedProcess;
}

export async function startUpstream(workDir: string, cpus: string | undefined): Promise<RunningUpstream> {
  const port = await findFreePort();
  const process = await startNginx({
    name: 'upstream (nginx)',
    prefixDir: join(workDir, 'upstream'),
    port,
    httpDirectives: '',
    locationDirectives: `      default_type application/json;\n      return 200 '${UPSTREAM_BODY}';`,
    cpus,
  });
  return { url: `http://127.0.0.1:${port}`, process };
}

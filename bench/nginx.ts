// Running nginx for the benchmark from a private prefix directory: its own config, pid file,
// logs and temp paths, in the foreground (`daemon off`) so the harness owns the process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnManaged, waitForPort, type ManagedProcess } from './process.ts';

export interface NginxInstance {
  name: string;
  /** Directory that will hold nginx.conf, the pid file, logs and temp paths. */
  prefixDir: string;
  port: number;
  /** Directives inside `http {}` before the server block (e.g. an `upstream`). */
  httpDirectives: string;
  /** Directives inside `location / {}`. */
  locationDirectives: string;
  cpus?: string;
}

export function renderNginxConfig(instance: NginxInstance): string {
  const dir = instance.prefixDir;
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/client;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  # wrk keeps its 64 connections for the whole run; nginx's default (1,000 requests) would
  # close them mid-run and show up as reconnects.
  keepalive_requests 10000000;
  keepalive_timeout 300s;
${instance.httpDirectives}
  server {
    listen 127.0.0.1:${instance.port};
    location / {
${instance.locationDirectives}
    }
  }
}
`;
}

export async function startNginx(instance: NginxInstance): Promise<ManagedProcess> {
  mkdirSync(join(instance.prefixDir, 'temp'), { recursive: true });
  const configFile = join(instance.prefixDir, 'nginx.conf');
  writeFileSync(configFile, renderNginxConfig(instance));
  const proc = spawnManaged({
    name: instance.name,
    command: 'nginx',
    // -e: the start-up error log, which would otherwise go to /var/log/nginx.
    args: ['-p', instance.prefixDir, '-c', configFile, '-e', join(instance.prefixDir, 'error.log')],
    cpus: instance.cpus,
    logFile: join(instance.prefixDir, 'stdout.log'),
  });
  await waitForPort(proc, instance.port);
  return proc;
}

// The gateway's sockets: one HTTP(S) server per bound address. Gateway API listeners that share
// an address and port share one server; a reload opens listeners that appeared and closes those
// that went away, while unchanged ones keep their connections. Servers are hardened: bounded
// header size and header/request time, and a parser error answers 400/408/431 instead of crashing.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Listener } from '../model/gateway-model.ts';
import type { GatewayOptions } from '../model/gateway-options.ts';
import { clientErrorReason, clientErrorResponse } from './errors.ts';
import { applyServerLimits, serverLimits } from './limits/server-limits.ts';
import { clientCertificateOptions, sameClientValidation } from './client-certificates.ts';
import { ListenerCaCertificates } from './listener-ca-certificates.ts';
import { secureContextOptions, SniCertificates, type ListenerCertificate } from './sni-certificates.ts';

/** Receives every request with the configured (model) port of its listener. */
export type RequestDispatcher = (req: IncomingMessage, res: ServerResponse, listenerPort: number, secure: boolean) => void;

export interface ListenerOverrides {
  port?: number;
  address?: string;
}


interface BindingPlan {
  key: string;
  address: string;
  modelPort: number;
  secure: boolean;
  /** HTTPS: one per listener on this socket; the first is the default certificate. */
  certificates: ListenerCertificate[];
  listenerIds: string[];
}

interface Binding extends BindingPlan {
  server: http.Server;
  sni?: SniCertificates;
}

export class ListenerSet {
  private readonly bindings = new Map<string, Binding>();
  private readonly dispatch: RequestDispatcher;
  private readonly overrides: ListenerOverrides;
  /** Limits and drain timeout of the newest configuration (GatewayOptions). */
  private options: GatewayOptions | undefined;
  /** Listener certificates issued by the CA; a renewal re-applies the newest listeners' certificates. */
  private readonly caCertificates = new ListenerCaCertificates(() => this.applyCertificates());
  private latest: readonly Listener[] = [];

  constructor(dispatch: RequestDispatcher, overrides: ListenerOverrides = {}) {
    this.dispatch = dispatch;
    this.overrides = overrides;
  }

  /** New TLS handshakes on open bindings get the newest certificates; connections keep theirs. */
  private applyCertificates(): void {
    let wanted: Map<string, BindingPlan>;
    try {
      wanted = this.group(this.latest);
    } catch {
      return; // a CA listener without a certificate yet: nothing to apply
    }
    for (const plan of wanted.values()) {
      const existing = this.bindings.get(plan.key);
      if (existing !== undefined) this.updateCertificates(existing, plan);
    }
  }

  private updateCertificates(existing: Binding, plan: BindingPlan): void {
    // Renewed certificates apply to new TLS handshakes without dropping connections.
    const [defaultCertificate] = plan.certificates;
    if (defaultCertificate === undefined || !existing.secure) return;
    const server = existing.server as https.Server;
    server.setSecureContext(secureContextOptions(defaultCertificate));
    // Node reads these server options for every new connection: a changed frontendValidation
    // applies to new handshakes, as a renewed certificate does.
    Object.assign(server, clientCertificateOptions(defaultCertificate.clientValidation));
    existing.sni?.update(plan.certificates);
  }

  /** Opens bindings these listeners need that are not open yet; on any failure closes what it opened.
   * Open bindings take the new limits, except maxHeaderBytes (fixed when a socket opens). */
  async openMissing(listeners: readonly Listener[], options: GatewayOptions): Promise<void> {
    this.options = options;
    await this.caCertificates.prepare(listeners);
    const wanted = this.group(listeners);
    this.latest = listeners;
    for (const plan of wanted.values()) {
      // A socket cannot switch protocol in place, and its port is taken until it closes.
      if (this.bindings.has(plan.key) && this.bindings.get(plan.key)!.secure !== plan.secure) {
        throw new Error(`listener ${plan.listenerIds[0]} changes protocol on ${plan.key}: restart the gateway to apply`);
      }
    }
    const opened: Binding[] = [];
    try {
      for (const plan of wanted.values()) {
        const existing = this.bindings.get(plan.key);
        if (existing === undefined) {
          const binding = await this.listen(plan);
          opened.push(binding);
          this.bindings.set(plan.key, binding);
          continue;
        }
        existing.listenerIds = plan.listenerIds;
        applyServerLimits(existing.server, options.limits);
        this.updateCertificates(existing, plan);
      }
    } catch (error) {
      for (const binding of opened) {
        this.bindings.delete(binding.key);
        await closeServer(binding.server, 0);
      }
      throw error;
    }
  }

  /** Closes bindings none of these listeners uses any more: in-flight requests get up to the
   * drain timeout to finish. */
  async closeUnused(listeners: readonly Listener[]): Promise<void> {
    const wanted = this.group(listeners);
    this.caCertificates.retain(listeners);
    const closing: Promise<void>[] = [];
    for (const [key, binding] of this.bindings) {
      if (wanted.has(key)) continue;
      this.bindings.delete(key);
      closing.push(closeServer(binding.server, this.options?.shutdown.drainTimeoutMs ?? 0));
    }
    await Promise.all(closing);
  }

  /** Bound address per listener id. */
  addresses(): Record<string, { address: string; port: number }> {
    const result: Record<string, { address: string; port: number }> = {};
    for (const binding of this.bindings.values()) {
      const bound = binding.server.address() as AddressInfo;
      for (const id of binding.listenerIds) result[id] = { address: bound.address, port: bound.port };
    }
    return result;
  }

  async close(): Promise<void> {
    await this.closeUnused([]);
  }

  private group(listeners: readonly Listener[]): Map<string, BindingPlan> {
    const grouped = new Map<string, BindingPlan>();
    for (const listener of listeners) {
      const address = this.overrides.address ?? listener.address;
      // With a port override (tests: port 0) every listener gets its own socket.
      const key = this.overrides.port !== undefined ? `listener:${listener.id}` : `${address}:${listener.port}`;
      const existing = grouped.get(key);
      const secure = listener.protocol === 'HTTPS';
      const tls = listener.caCertificate === undefined ? listener.tls : this.caCertificates.current(listener.caCertificate);
      if (listener.caCertificate !== undefined && tls === undefined) {
        throw new Error(`HTTPS listener ${listener.id}: the CA in ${listener.caCertificate.dir} has issued no certificate (see the log)`);
      }
      const certificates: ListenerCertificate[] =
        tls === undefined ? [] : [{ hostname: listener.hostname, ...tls, clientValidation: listener.clientValidation }];
      if (existing !== undefined) {
        if (existing.secure !== secure) throw new Error(`listeners on ${key} mix HTTP and HTTPS (${listener.id})`);
        // Whether to ask for a client certificate is decided before SNI is known: one answer per socket.
        if (secure && !sameClientValidation(existing.certificates[0]?.clientValidation, listener.clientValidation)) {
          throw new Error(`listeners on ${key} differ in tls.frontendValidation (${listener.id}): give them the same one or separate ports`);
        }
        existing.listenerIds.push(listener.id);
        existing.certificates.push(...certificates);
        continue;
      }
      grouped.set(key, { key, address, modelPort: listener.port, secure, certificates, listenerIds: [listener.id] });
    }
    return grouped;
  }

  private listen(plan: BindingPlan): Promise<Binding> {
    const { modelPort, secure } = plan;
    const dispatch = this.dispatch;
    const onRequest = (req: IncomingMessage, res: ServerResponse) => dispatch(req, res, modelPort, secure);
    const [defaultCertificate] = plan.certificates;
    if (secure && defaultCertificate === undefined) throw new Error(`HTTPS listener ${plan.listenerIds[0]} has no certificate`);
    const sni = secure ? new SniCertificates(plan.certificates) : undefined;
    const limits = serverLimits(this.options!.limits);
    const server =
      sni !== undefined && defaultCertificate !== undefined
        ? https.createServer(
            {
              ...limits,
              ...secureContextOptions(defaultCertificate),
              ...clientCertificateOptions(defaultCertificate.clientValidation),
              SNICallback: sni.callback,
            },
            onRequest,
          )
        : http.createServer(limits, onRequest);
    server.maxConnections = limits.maxConnections;
    server.on('clientError', answerClientError);
    const port = this.overrides.port ?? modelPort;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, plan.address, () => {
        server.off('error', reject);
        resolve({ ...plan, server, sni });
      });
    });
  }
}

/** Node's 'clientError': the request never became a request; answer if the socket still can. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const reason = clientErrorReason(error.code);
  if (reason === undefined || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(reason));
}

/** Stops accepting; connections still busy after `drainTimeoutMs` are cut so shutdown never hangs. */
function closeServer(server: http.Server, drainTimeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cutOff = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
    cutOff.unref();
    server.close(() => {
      clearTimeout(cutOff);
      resolve();
    });
    server.closeIdleConnections();
  });
}

// The documents `gatehouse import` prints: every input document that is not NGINX's, unchanged,
// followed by the Gateway API + Istio documents that replace the NGINX ones.
import { stringify } from 'yaml';
import { buildModel } from '../build-model.ts';
import type { Problems } from '../problems.ts';
import type { RawDocument } from '../read-documents.ts';
import { nginxToGatewayApi } from './nginx-to-gateway-api.ts';

export interface ImportResult {
  /** Multi-document YAML. */
  yaml: string;
  notes: string[];
}

/** Throws ConfigError when the input is not a valid configuration. */
export function importDocuments(documents: RawDocument[], problems: Problems): ImportResult {
  const imported = nginxToGatewayApi(buildModel(documents, problems));
  const kept = documents.map((document) => document.content).filter((content) => !isNginxDocument(content));
  const yaml = [...kept, ...imported.documents].map((content) => stringify(content, { lineWidth: 0 })).join('---\n');
  return { yaml, notes: imported.notes };
}

/** NGINX's own resources, which the imported documents replace. */
function isNginxDocument(content: unknown): boolean {
  if (content === null || typeof content !== 'object') return false;
  const { apiVersion, kind, type } = content as { apiVersion?: unknown; kind?: unknown; type?: unknown };
  if (typeof apiVersion === 'string' && apiVersion.startsWith('k8s.nginx.org/')) return kind === 'Policy' || kind === 'VirtualServer';
  return kind === 'Secret' && type === 'nginx.org/jwk';
}

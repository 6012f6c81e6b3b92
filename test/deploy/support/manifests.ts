// Reads deploy/kubernetes as kubectl would (every YAML document of every file the kustomization
// lists) and gives the tests typed access to the objects, the pods' containers and the files a
// ConfigMap or Secret turns into inside a pod.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import type { Container, KubernetesObject } from './kubernetes-schema.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MANIFEST_DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
/** The image the Dockerfile builds, as the manifests name it (the kustomization retags it). */
export const GATEHOUSE_IMAGE = /^gatehouse(:|$)/;

export interface ManifestDocument {
  file: string;
  index: number;
  /** YAML syntax errors of this document, if any. */
  errors: string[];
  content: Record<string, unknown>;
}

export function manifestFiles(): string[] {
  return readdirSync(MANIFEST_DIR)
    .filter((name) => (name.endsWith('.yaml') || name.endsWith('.yml')) && name !== KUSTOMIZATION_FILE)
    .sort();
}

export function loadKustomization(): unknown {
  return parse(readFileSync(join(MANIFEST_DIR, KUSTOMIZATION_FILE), 'utf8'));
}

export function loadManifests(): ManifestDocument[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(join(MANIFEST_DIR, file), 'utf8')).map((document, index) => ({
      file,
      index,
      errors: document.errors.map((error) => error.message),
      content: (document.toJS() ?? {}) as Record<string, unknown>,
    })),
  );
}

export type Workload = KubernetesObject<'apps/v1/Deployment'> | KubernetesObject<'apps/v1/StatefulSet'>;

/** Volumes a workload's containers may mount: its pod volumes and a StatefulSet's claims. */
export function volumeNames(workload: Workload): string[] {
  const claims = workload.kind === 'StatefulSet' ? (workload.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata.name) : [];
  return [...(workload.spec.template.spec.volumes ?? []).map((volume) => volume.name), ...claims];
}

/** Typed views over the (already schema-checked) objects. */
export class ManifestSet {
  readonly documents: ManifestDocument[];

  constructor(documents = loadManifests()) {
    this.documents = documents;
  }

  private ofKind<T>(apiVersion: string, kind: string): T[] {
    return this.documents.filter((d) => d.content.apiVersion === apiVersion && d.content.kind === kind).map((d) => d.content as T);
  }

  get deployments() {
    return this.ofKind<KubernetesObject<'apps/v1/Deployment'>>('apps/v1', 'Deployment');
  }
  get statefulSets() {
    return this.ofKind<KubernetesObject<'apps/v1/StatefulSet'>>('apps/v1', 'StatefulSet');
  }
  get workloads(): Workload[] {
    return [...this.deployments, ...this.statefulSets];
  }
  get services() {
    return this.ofKind<KubernetesObject<'v1/Service'>>('v1', 'Service');
  }
  get configMaps() {
    return this.ofKind<KubernetesObject<'v1/ConfigMap'>>('v1', 'ConfigMap');
  }
  get disruptionBudgets() {
    return this.ofKind<KubernetesObject<'policy/v1/PodDisruptionBudget'>>('policy/v1', 'PodDisruptionBudget');
  }
  get autoscalers() {
    return this.ofKind<KubernetesObject<'autoscaling/v2/HorizontalPodAutoscaler'>>('autoscaling/v2', 'HorizontalPodAutoscaler');
  }
  get networkPolicies() {
    return this.ofKind<KubernetesObject<'networking.k8s.io/v1/NetworkPolicy'>>('networking.k8s.io/v1', 'NetworkPolicy');
  }

  deployment(name: string) {
    const found = this.deployments.find((d) => d.metadata.name === name);
    if (!found) throw new Error(`no Deployment ${name} in deploy/kubernetes`);
    return found;
  }

  configMap(name: string) {
    const found = this.configMaps.find((c) => c.metadata.name === name);
    if (!found) throw new Error(`no ConfigMap ${name} in deploy/kubernetes`);
    return found;
  }

  service(name: string) {
    return this.services.find((s) => s.metadata.name === name);
  }

  /** Workloads whose pod template carries every label of `selector`. */
  selectedWorkloads(selector: Record<string, string>): Workload[] {
    return this.workloads.filter((w) => matches(selector, w.spec.template.metadata.labels));
  }
}

export function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** `--name value` in a container's args. */
export function argValue(container: Container, name: string): string | undefined {
  const args = container.args ?? [];
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

export function preStopSleepSeconds(container: Container): number {
  const command = container.lifecycle?.preStop?.exec.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) : 0;
}

/**
 * Where a pod sees each file of its mounted volumes: mountPath/file → where the content comes
 * from (a ConfigMap's data, or a Secret key the test must supply). Items select and rename keys
 * as the kubelet does.
 */
export type MountedFile = { path: string } & ({ from: 'configMap'; name: string; content: string } | { from: 'secret'; name: string; key: string });

export function mountedFiles(set: ManifestSet, workload: Workload, container: Container): MountedFile[] {
  const files: MountedFile[] = [];
  for (const mount of container.volumeMounts ?? []) {
    if (!volumeNames(workload).includes(mount.name)) throw new Error(`volumeMount ${mount.name} names no volume`);
    const volume = workload.spec.template.spec.volumes?.find((v) => v.name === mount.name);
    if (!volume) continue; // a StatefulSet's claim: storage, not files the manifests provide
    const configMaps = [...(volume.configMap ? [volume.configMap] : []), ...(volume.projected?.sources.flatMap((s) => (s.configMap ? [s.configMap] : [])) ?? [])];
    const secrets = [
      ...(volume.secret ? [{ name: volume.secret.secretName, items: volume.secret.items }] : []),
      ...(volume.projected?.sources.flatMap((s) => (s.secret ? [s.secret] : [])) ?? []),
    ];
    for (const source of configMaps) {
      const data = set.configMap(source.name).data;
      const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const item of items) files.push({ path: join(mount.mountPath, item.path), from: 'configMap', name: source.name, content: data[item.key] });
    }
    for (const source of secrets) {
      if (!source.items) throw new Error(`secret ${source.name}: list its keys (items) so the manifests say what the Secret must hold`);
      for (const item of source.items) files.push({ path: join(mount.mountPath, item.path), from: 'secret', name: source.name, key: item.key });
    }
  }
  return files;
}

/** Every Secret name → keys the manifests read from it (env secretKeyRef and volumes). */
export function referencedSecrets(set: ManifestSet): Map<string, Set<string>> {
  const secrets = new Map<string, Set<string>>();
  const add = (name: string, key: string) => secrets.set(name, (secrets.get(name) ?? new Set()).add(key));
  for (const workload of set.workloads) {
    for (const container of workload.spec.template.spec.containers) {
      for (const env of container.env ?? []) if (env.valueFrom) add(env.valueFrom.secretKeyRef.name, env.valueFrom.secretKeyRef.key);
      for (const file of mountedFiles(set, workload, container)) if (file.from === 'secret') add(file.name, file.key);
    }
  }
  return secrets;
}

// deploy/kubernetes without kubectl: every document parses, is a kind we mean to ship and has the
// fields Kubernetes expects (test/deploy/support/kubernetes-schema.ts), nothing is pinned to a
// namespace, and the kustomization applies exactly these files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kustomizationSchema, schemaFor } from './support/kubernetes-schema.ts';
import { loadKustomization, loadManifests, manifestFiles } from './support/manifests.ts';

const documents = loadManifests();
const KINDS_SHIPPED = ['ConfigMap', 'Deployment', 'StatefulSet', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy'];

describe('deploy/kubernetes manifests', () => {
  for (const document of documents) {
    const content = document.content;
    const name = (content.metadata as { name?: string } | undefined)?.name;
    test(`${document.file}#${document.index} ${String(content.kind)}/${name}: valid`, () => {
      assert.deepEqual(document.errors, [], 'YAML parses');
      const schema = schemaFor(content);
      assert.ok(schema, `${String(content.apiVersion)} ${String(content.kind)} is not a kind deploy/kubernetes ships`);
      const result = schema.safeParse(content);
      assert.ok(result.success, result.success ? '' : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    });
  }

  test('every kind the issue asks for is there, and no Secret (Secrets are created, not shipped)', () => {
    const kinds = new Set(documents.map((d) => d.content.kind));
    for (const kind of KINDS_SHIPPED) assert.ok(kinds.has(kind), `a ${kind}`);
    assert.ok(!kinds.has('Secret'), 'no Secret object with values in the repository');
  });

  test('names are unique per kind', () => {
    const seen = new Set<string>();
    for (const { content } of documents) {
      const key = `${String(content.kind)}/${(content.metadata as { name: string }).name}`;
      assert.ok(!seen.has(key), `${key} defined twice`);
      seen.add(key);
    }
  });

  test('every object is labelled as part of gatehouse with a component', () => {
    for (const { file, content } of documents) {
      const labels = (content.metadata as { labels?: Record<string, string> }).labels ?? {};
      assert.equal(labels['app.kubernetes.io/name'], 'gatehouse', file);
      assert.equal(labels['app.kubernetes.io/part-of'], 'gatehouse', file);
      assert.ok(labels['app.kubernetes.io/component'], `${file}: app.kubernetes.io/component`);
    }
  });

  test('the kustomization applies exactly the manifest files', () => {
    const parsed = kustomizationSchema.safeParse(loadKustomization());
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
    assert.deepEqual([...parsed.data.resources].sort(), manifestFiles());
  });

  // The schema is the test: show that it refuses what kubectl --validate=strict refuses.
  test('the schema refuses a misspelt field, a namespace and a missing selector', () => {
    const deployment = structuredClone(documents.find((d) => d.content.kind === 'Deployment')!.content) as Record<string, any>;
    const schema = schemaFor(deployment)!;
    assert.ok(schema.safeParse(deployment).success);
    const misspelt = structuredClone(deployment);
    misspelt.spec.template.spec.containers[0].readinessprobe = misspelt.spec.template.spec.containers[0].readinessProbe;
    assert.ok(!schema.safeParse(misspelt).success, 'readinessprobe');
    const namespaced = structuredClone(deployment);
    namespaced.metadata.namespace = 'prod';
    assert.ok(!schema.safeParse(namespaced).success, 'metadata.namespace');
    const unselected = structuredClone(deployment);
    delete unselected.spec.selector;
    assert.ok(!schema.safeParse(unselected).success, 'spec.selector');
  });
});

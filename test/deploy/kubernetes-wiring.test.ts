// The manifests fit together the way Kubernetes joins them at run time: selectors find their pods,
// Services and probes name ports the containers open, PDB/HPA/NetworkPolicies target real
// workloads, every Secret the pods read is one docs/deploy.md creates, and the shutdown
// timings leave the gateway time to drain.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { documentedSecrets } from './support/deploy-doc.ts';
import { argValue, GATEHOUSE_IMAGE, ManifestSet, matches, preStopSleepSeconds, referencedSecrets, volumeNames } from './support/manifests.ts';
import { parseDurationSeconds } from '../../src/config/duration.ts';

const set = new ManifestSet();
const gateway = set.deployment('gatehouse-gateway');
const identity = set.deployment('gatehouse-identity');
const gatewayContainer = gateway.spec.template.spec.containers[0];

function portNumber(template: typeof gateway.spec.template, ref: number | string): number | undefined {
  if (typeof ref === 'number') return template.spec.containers.flatMap((c) => c.ports ?? []).some((p) => p.containerPort === ref) ? ref : undefined;
  return template.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === ref)?.containerPort;
}

describe('deploy/kubernetes wiring', () => {
  test('each workload selects its own pod template, and no other workload', () => {
    for (const workload of set.workloads) {
      assert.ok(matches(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels), `${workload.metadata.name} selects its template`);
      assert.deepEqual(set.selectedWorkloads(workload.spec.selector.matchLabels), [workload], `${workload.metadata.name}'s selector is its own`);
    }
  });

  test('replicas: 3 gateways, 2 identity instances', () => {
    assert.equal(gateway.spec.replicas, 3);
    assert.equal(identity.spec.replicas, 2);
  });

  test('every Service selects one workload, on ports its containers open', () => {
    for (const service of set.services) {
      const selected = set.selectedWorkloads(service.spec.selector);
      assert.equal(selected.length, 1, `Service ${service.metadata.name} selects one workload`);
      for (const port of service.spec.ports) {
        assert.ok(portNumber(selected[0].spec.template, port.targetPort), `Service ${service.metadata.name} port ${port.name} → ${port.targetPort} is a container port`);
      }
    }
  });

  test('StatefulSets are governed by a headless Service of their own', () => {
    for (const statefulSet of set.statefulSets) {
      const service = set.service(statefulSet.spec.serviceName);
      assert.ok(service, `Service ${statefulSet.spec.serviceName}`);
      assert.equal(service.spec.clusterIP, 'None');
      assert.deepEqual(set.selectedWorkloads(service.spec.selector), [statefulSet]);
    }
  });

  test('every probe names a port its container opens', () => {
    for (const workload of set.workloads) {
      for (const container of workload.spec.template.spec.containers) {
        for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
          const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
          if (port !== undefined) assert.ok(portNumber(workload.spec.template, port), `${workload.metadata.name}/${container.name} probe port ${port}`);
        }
        assert.ok(container.readinessProbe && container.livenessProbe, `${workload.metadata.name}/${container.name} has readiness and liveness probes`);
      }
    }
  });

  test('the gateway is probed on its admin listener: /readyz for readiness, /healthz for liveness', () => {
    const admin = argValue(gatewayContainer, '--admin');
    assert.equal(admin, '0.0.0.0:9901', 'admin on every interface of the pod, so the kubelet reaches it');
    assert.equal(portNumber(gateway.spec.template, gatewayContainer.readinessProbe!.httpGet!.port), 9901);
    assert.equal(gatewayContainer.readinessProbe!.httpGet!.path, '/readyz');
    assert.equal(portNumber(gateway.spec.template, gatewayContainer.livenessProbe!.httpGet!.port), 9901);
    assert.equal(gatewayContainer.livenessProbe!.httpGet!.path, '/healthz');
  });

  test('terminationGracePeriodSeconds covers the preStop pause, the configured drain and the worker stop margin', () => {
    const options = parseAllDocuments(set.configMap('gatehouse-gateway-config').data['50-options.yaml']).map((d) => d.toJS());
    const drainTimeout = options.find((d) => d.kind === 'GatewayOptions')?.spec?.shutdown?.drainTimeout;
    assert.ok(drainTimeout, 'the ConfigMap states the drain timeout');
    const needed = preStopSleepSeconds(gatewayContainer) + parseDurationSeconds(drainTimeout) + 5;
    assert.ok(preStopSleepSeconds(gatewayContainer) > 0, 'a preStop pause lets load balancers stop sending first');
    assert.ok(gateway.spec.template.spec.terminationGracePeriodSeconds! >= needed, `${gateway.spec.template.spec.terminationGracePeriodSeconds} s >= ${needed} s`);
  });

  test('the PodDisruptionBudgets and the HPA target existing workloads with room to move', () => {
    for (const budget of set.disruptionBudgets) {
      const [workload, ...others] = set.selectedWorkloads(budget.spec.selector.matchLabels);
      assert.ok(workload && others.length === 0, `PDB ${budget.metadata.name} selects one workload`);
      const minAvailable = budget.spec.minAvailable ?? workload.spec.replicas - Number(budget.spec.maxUnavailable);
      assert.ok(typeof minAvailable === 'number' && minAvailable < workload.spec.replicas, `PDB ${budget.metadata.name} lets a node drain`);
    }
    assert.ok(set.disruptionBudgets.some((b) => matches(b.spec.selector.matchLabels, gateway.spec.template.metadata.labels)), 'the gateway has a PDB');
    const [hpa] = set.autoscalers;
    assert.equal(hpa.spec.scaleTargetRef.kind, 'Deployment');
    assert.equal(hpa.spec.scaleTargetRef.name, 'gatehouse-gateway');
    assert.ok(hpa.spec.minReplicas <= gateway.spec.replicas && gateway.spec.replicas <= hpa.spec.maxReplicas);
    const budget = set.disruptionBudgets.find((b) => matches(b.spec.selector.matchLabels, gateway.spec.template.metadata.labels))!;
    assert.ok(Number(budget.spec.minAvailable) < hpa.spec.minReplicas, 'scaled to its minimum, the gateway can still lose a pod to a drain');
    assert.ok(gatewayContainer.resources?.requests?.cpu, 'a CPU request: the HPA measures utilization against it');
  });

  test('NetworkPolicies protect a workload and let in only existing workloads, on ports they open', () => {
    for (const policy of set.networkPolicies) {
      const [target] = set.selectedWorkloads(policy.spec.podSelector.matchLabels);
      assert.ok(target, `NetworkPolicy ${policy.metadata.name} protects a workload`);
      for (const rule of policy.spec.ingress) {
        for (const peer of rule.from) assert.equal(set.selectedWorkloads(peer.podSelector.matchLabels).length, 1, `${policy.metadata.name}: a peer selects a workload`);
        for (const port of rule.ports) assert.ok(portNumber(target.spec.template, port.port), `${policy.metadata.name}: port ${port.port}`);
      }
    }
  });

  test('volumes: every mount names a volume, and every ConfigMap a volume reads is shipped', () => {
    for (const workload of set.workloads) {
      const volumes = workload.spec.template.spec.volumes ?? [];
      for (const container of workload.spec.template.spec.containers) {
        for (const mount of container.volumeMounts ?? []) {
          assert.ok(volumeNames(workload).includes(mount.name), `${workload.metadata.name}: volume ${mount.name}`);
        }
      }
      for (const volume of volumes) {
        for (const name of [volume.configMap?.name, ...(volume.projected?.sources.map((s) => s.configMap?.name) ?? [])]) {
          if (name !== undefined) assert.ok(set.configMap(name));
        }
      }
    }
  });

  test('every Secret key the pods read is created by a command in docs/deploy.md', () => {
    const documented = documentedSecrets();
    const referenced = referencedSecrets(set);
    assert.ok(referenced.size >= 3, 'gateway, identity and PostgreSQL secrets');
    for (const [name, keys] of referenced) {
      assert.ok(documented.has(name), `docs/deploy.md creates Secret ${name}`);
      for (const key of keys) assert.ok(documented.get(name)!.has(key), `docs/deploy.md puts ${key} into Secret ${name}`);
    }
  });

  test('gatehouse pods run a gatehouse command on a config file they mount, as non-root, read-only', () => {
    for (const deployment of [gateway, identity]) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      assert.match(container.image, GATEHOUSE_IMAGE);
      assert.ok(['gateway', 'identity'].includes(container.args![0]), `${deployment.metadata.name} runs ${container.args![0]}`);
      const config = argValue(container, '--config')!;
      assert.ok((container.volumeMounts ?? []).some((m) => config.startsWith(`${m.mountPath}/`) || config === m.mountPath), `${config} is on a mounted volume`);
      assert.equal(pod.securityContext?.runAsNonRoot, true);
      assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext?.allowPrivilegeEscalation, false);
      assert.equal(pod.automountServiceAccountToken, false, 'no Kubernetes API credentials in a pod that never calls the API');
    }
  });

  test('every in-cluster address in the configs is a Service of these manifests, on its port', () => {
    const configText = set.configMaps.flatMap((c) => Object.values(c.data)).join('\n');
    const envText = set.workloads.flatMap((w) => w.spec.template.spec.containers.flatMap((c) => (c.env ?? []).map((e) => e.value ?? ''))).join('\n');
    const addresses = [...`${configText}\n${envText}`.matchAll(/(?:https?|rediss?|postgres):\/\/(?:[^@\s/]*@)?(gatehouse-[a-z-]+):(\d+)/g)];
    assert.ok(addresses.length >= 4, 'the identity JWKS, Redis and PostgreSQL URLs');
    for (const [url, host, port] of addresses) {
      const service = set.service(host);
      assert.ok(service, `${url}: Service ${host}`);
      assert.ok(service.spec.ports.some((p) => p.port === Number(port)), `${url}: Service ${host} has port ${port}`);
    }
  });
});

// The Kubernetes fields deploy/kubernetes uses, as strict zod schemas (no Kubernetes JSON-schema
// package is installed). Strict on purpose: a misspelt field (`readinessprobe`), a field in the
// wrong place or a field this file does not know fails the test, as `kubectl apply
// --validate=strict` would; extend the schema when a manifest needs a new field.
import { z } from 'zod';

/** RFC 1123 label: Service, container and volume names (api/validation IsDNS1123Label). */
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: 'must be an RFC 1123 label' });
/** RFC 1123 subdomain: names of most objects. */
const dnsSubdomain = z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be an RFC 1123 subdomain' });
/** IANA_SVC_NAME: named ports (at most 15 characters, at least one letter). */
const portName = z.string().regex(/^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be an IANA service name' });
const portNumber = z.int().min(1).max(65535);
const portRef = z.union([portNumber, portName]);
/** resource.Quantity in the forms we write: "1", "500m", "320Mi", "5Gi". */
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|Ki|Mi|Gi|Ti)?$/, { error: 'must be a quantity such as 500m or 256Mi' });
const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, { error: 'must be a label value' });
const labels = z.record(z.string(), labelValue);

const metadata = z.strictObject({
  name: dnsSubdomain,
  labels: labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
const labelSelector = z.strictObject({ matchLabels: labels });

const httpGet = z.strictObject({ path: z.string().startsWith('/'), port: portRef });
const execAction = z.strictObject({ command: z.array(z.string()).min(1) });
const probe = z
  .strictObject({
    httpGet: httpGet.optional(),
    exec: execAction.optional(),
    tcpSocket: z.strictObject({ port: portRef }).optional(),
    periodSeconds: z.int().min(1).optional(),
    timeoutSeconds: z.int().min(1).optional(),
    failureThreshold: z.int().min(1).optional(),
    initialDelaySeconds: z.int().min(0).optional(),
  })
  .refine((p) => [p.httpGet, p.exec, p.tcpSocket].filter(Boolean).length === 1, { error: 'a probe has exactly one handler' });

const envVar = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    value: z.string().optional(),
    valueFrom: z.strictObject({ secretKeyRef: z.strictObject({ name: dnsSubdomain, key: z.string().min(1) }) }).optional(),
  })
  .refine((e) => (e.value === undefined) !== (e.valueFrom === undefined), { error: 'an env var has value or valueFrom' });

const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});

export const containerSchema = z.strictObject({
  name: dnsLabel,
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  ports: z.array(z.strictObject({ name: portName, containerPort: portNumber, protocol: z.enum(['TCP', 'UDP']).optional() })).optional(),
  env: z.array(envVar).optional(),
  readinessProbe: probe.optional(),
  livenessProbe: probe.optional(),
  startupProbe: probe.optional(),
  lifecycle: z.strictObject({ preStop: z.strictObject({ exec: execAction }).optional() }).optional(),
  resources: resources.optional(),
  securityContext: z
    .strictObject({
      allowPrivilegeEscalation: z.boolean().optional(),
      readOnlyRootFilesystem: z.boolean().optional(),
      capabilities: z.strictObject({ drop: z.array(z.string()) }).optional(),
    })
    .optional(),
  volumeMounts: z.array(z.strictObject({ name: dnsLabel, mountPath: z.string().startsWith('/'), readOnly: z.boolean().optional() })).optional(),
});
export type Container = z.infer<typeof containerSchema>;

const keyToPath = z.array(z.strictObject({ key: z.string().min(1), path: z.string().min(1) }));
const volumeSchema = z
  .strictObject({
    name: dnsLabel,
    configMap: z.strictObject({ name: dnsSubdomain, items: keyToPath.optional(), defaultMode: z.int().optional() }).optional(),
    secret: z.strictObject({ secretName: dnsSubdomain, items: keyToPath.optional(), defaultMode: z.int().optional() }).optional(),
    projected: z
      .strictObject({
        defaultMode: z.int().min(0).max(0o777).optional(),
        sources: z.array(
          z.strictObject({
            configMap: z.strictObject({ name: dnsSubdomain, items: keyToPath.optional() }).optional(),
            secret: z.strictObject({ name: dnsSubdomain, items: keyToPath.optional() }).optional(),
          }),
        ),
      })
      .optional(),
    emptyDir: z.strictObject({ sizeLimit: quantity.optional() }).optional(),
  })
  .refine((v) => [v.configMap, v.secret, v.projected, v.emptyDir].filter(Boolean).length === 1, { error: 'a volume has exactly one source' });
export type Volume = z.infer<typeof volumeSchema>;

export const podTemplateSchema = z.strictObject({
  metadata: z.strictObject({ labels, annotations: z.record(z.string(), z.string()).optional() }),
  spec: z.strictObject({
    automountServiceAccountToken: z.boolean().optional(),
    terminationGracePeriodSeconds: z.int().min(0).optional(),
    securityContext: z
      .strictObject({
        runAsNonRoot: z.boolean().optional(),
        runAsUser: z.int().min(0).optional(),
        runAsGroup: z.int().min(0).optional(),
        fsGroup: z.int().min(0).optional(),
        seccompProfile: z.strictObject({ type: z.enum(['RuntimeDefault', 'Localhost', 'Unconfined']) }).optional(),
      })
      .optional(),
    topologySpreadConstraints: z
      .array(
        z.strictObject({
          maxSkew: z.int().min(1),
          topologyKey: z.string().min(1),
          whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
          labelSelector: labelSelector,
        }),
      )
      .optional(),
    containers: z.array(containerSchema).min(1),
    volumes: z.array(volumeSchema).optional(),
  }),
});
export type PodTemplate = z.infer<typeof podTemplateSchema>;

const intOrPercent = z.union([z.int().min(0), z.string().regex(/^\d+%$/)]);

const objectSchemas = {
  'v1/ConfigMap': z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('ConfigMap'), metadata, data: z.record(z.string(), z.string()) }),
  'v1/Service': z.strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Service'),
    metadata: metadata.extend({ name: dnsLabel }),
    spec: z.strictObject({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
      clusterIP: z.literal('None').optional(),
      externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
      selector: labels,
      ports: z.array(z.strictObject({ name: portName, port: portNumber, targetPort: portRef, protocol: z.enum(['TCP', 'UDP']).optional() })).min(1),
    }),
  }),
  'apps/v1/Deployment': z.strictObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('Deployment'),
    metadata,
    spec: z.strictObject({
      replicas: z.int().min(0),
      revisionHistoryLimit: z.int().min(0).optional(),
      selector: labelSelector,
      strategy: z
        .strictObject({
          type: z.enum(['RollingUpdate', 'Recreate']),
          rollingUpdate: z.strictObject({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }).optional(),
        })
        .optional(),
      template: podTemplateSchema,
    }),
  }),
  'apps/v1/StatefulSet': z.strictObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('StatefulSet'),
    metadata,
    spec: z.strictObject({
      serviceName: dnsLabel,
      replicas: z.int().min(0),
      selector: labelSelector,
      template: podTemplateSchema,
      volumeClaimTemplates: z
        .array(
          z.strictObject({
            metadata: z.strictObject({ name: dnsLabel }),
            spec: z.strictObject({
              accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).min(1),
              resources: z.strictObject({ requests: z.strictObject({ storage: quantity }) }),
            }),
          }),
        )
        .optional(),
    }),
  }),
  'policy/v1/PodDisruptionBudget': z.strictObject({
    apiVersion: z.literal('policy/v1'),
    kind: z.literal('PodDisruptionBudget'),
    metadata,
    spec: z
      .strictObject({ minAvailable: intOrPercent.optional(), maxUnavailable: intOrPercent.optional(), selector: labelSelector })
      .refine((s) => (s.minAvailable === undefined) !== (s.maxUnavailable === undefined), { error: 'set one of minAvailable or maxUnavailable' }),
  }),
  'autoscaling/v2/HorizontalPodAutoscaler': z.strictObject({
    apiVersion: z.literal('autoscaling/v2'),
    kind: z.literal('HorizontalPodAutoscaler'),
    metadata,
    spec: z.strictObject({
      scaleTargetRef: z.strictObject({ apiVersion: z.string(), kind: z.string(), name: dnsSubdomain }),
      minReplicas: z.int().min(1),
      maxReplicas: z.int().min(1),
      metrics: z.array(
        z.strictObject({
          type: z.literal('Resource'),
          resource: z.strictObject({
            name: z.enum(['cpu', 'memory']),
            target: z.strictObject({ type: z.literal('Utilization'), averageUtilization: z.int().min(1).max(100) }),
          }),
        }),
      ),
      behavior: z
        .strictObject({
          scaleDown: z.strictObject({
            stabilizationWindowSeconds: z.int().min(0).max(3600),
            policies: z.array(z.strictObject({ type: z.enum(['Pods', 'Percent']), value: z.int().min(1), periodSeconds: z.int().min(1).max(1800) })),
          }),
        })
        .optional(),
    }),
  }),
  'networking.k8s.io/v1/NetworkPolicy': z.strictObject({
    apiVersion: z.literal('networking.k8s.io/v1'),
    kind: z.literal('NetworkPolicy'),
    metadata,
    spec: z.strictObject({
      podSelector: labelSelector,
      policyTypes: z.array(z.enum(['Ingress', 'Egress'])),
      ingress: z.array(
        z.strictObject({
          from: z.array(z.strictObject({ podSelector: labelSelector })),
          ports: z.array(z.strictObject({ port: portRef, protocol: z.enum(['TCP', 'UDP']) })),
        }),
      ),
    }),
  }),
} as const;

export type ObjectKey = keyof typeof objectSchemas;
export type KubernetesObject<K extends ObjectKey> = z.infer<(typeof objectSchemas)[K]>;

export function objectKey(document: { apiVersion?: unknown; kind?: unknown }): string {
  return `${String(document.apiVersion)}/${String(document.kind)}`;
}

/** The schema for a document's apiVersion and kind, or undefined when the kind is not one we use. */
export function schemaFor(document: { apiVersion?: unknown; kind?: unknown }): z.ZodType | undefined {
  return (objectSchemas as Record<string, z.ZodType>)[objectKey(document)];
}

export const kustomizationSchema = z.strictObject({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  resources: z.array(z.string().min(1)).min(1),
  images: z.array(z.strictObject({ name: z.string(), newName: z.string().optional(), newTag: z.string().optional() })).optional(),
});

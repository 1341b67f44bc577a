import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { ROUTER_PORT, SUBGRAPHS } from '../../scripts/topology';
import {
  ROOT,
  OVERLAYS,
  containerEnv,
  cores,
  documentedSecretKeys,
  find,
  mebibytes,
  render,
  type Container,
  type K8sObject,
} from './kubernetes.manifests';
import { SERVICES, envReadBy, type ServiceName } from './service-env';

/** The schema of every kind the manifests use (kubernetes-models: the API's OpenAPI schemas). */
const MODELS: Record<string, { new (data: any): { validate(): void } }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const portOf = (service: ServiceName) =>
  service === 'router' ? ROUTER_PORT : SUBGRAPHS.find((s) => s.name === service)!.port;
const source = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** The kit's HTTP drain on stop (closeServer's grace), read from the code. */
const DRAIN_SECONDS = Number(/graceMs = ([\d_]+)/.exec(source('kit/src/server/http.ts'))![1]!.replace(/_/g, '')) / 1000;
/** Services that run once (../README: "What scales"), and cases, which scales only with photos in S3. */
const SINGLE = new Set<ServiceName>(['analytics']);

describe.each(OVERLAYS)('deploy/kubernetes/overlays/%s', (overlay) => {
  const objects = render(`overlays/${overlay}`);
  const deployment = (name: string) => find(objects, 'Deployment', name)!;
  const mainContainer = (name: string) => deployment(name).spec.template.spec.containers[0] as Container;

  it('validates against the Kubernetes schemas, one namespace, nothing unknown', () => {
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.kind} ${o.metadata.name}`).toBeDefined();
      expect(() => new Model!(o).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
      if (o.kind !== 'Namespace') expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('supergraph');
    }
  });

  it('runs every service from the image with its entry point, port, Service and probes', () => {
    // Router and subgraphs serve their probes from the kit's service endpoints.
    const endpoints = source('kit/src/server/service.endpoints.ts');
    expect(source('kit/src/server/subgraph.server.ts')).toContain('serviceEndpoints(');
    expect(source('router/src/http/router.app.ts')).toContain('serviceEndpoints(');
    for (const name of SERVICES) {
      const port = portOf(name);
      const c = mainContainer(name);
      const entry = name === 'router' ? 'router' : `subgraphs/${name}`;
      expect(c.command, name).toEqual(['node', `${entry}/dist/index.js`]);
      expect(existsSync(join(ROOT, entry, 'src', 'index.ts')), name).toBe(true);
      expect(c.ports, name).toEqual([{ name: 'http', containerPort: port }]);
      expect(c.env?.find((e) => e.name === 'PORT')?.value, name).toBe(String(port));
      const service = find(objects, 'Service', name)!;
      expect(service.spec.ports, name).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      expect(service.spec.selector, name).toEqual(deployment(name).spec.selector.matchLabels);
      // Probe paths are routes the code serves.
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        expect(probe?.httpGet?.port, name).toBe('http');
        expect(endpoints, `${name}: ${probe?.httpGet?.path}`).toContain(`.route('${probe!.httpGet!.path}')`);
      }
      expect(c.livenessProbe?.httpGet?.path, name).toBe('/health');
      if (name === 'router') {
        expect(c.startupProbe?.httpGet?.path).toBe('/ready');
        expect(c.readinessProbe?.httpGet?.path).toBe('/health'); // see router.yaml: /ready would cascade
      } else {
        expect(c.readinessProbe?.httpGet?.path, name).toBe('/ready');
      }
    }
  });

  it('gives each service exactly the variables its code reads, each documented', () => {
    const documented = new Set([...source('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const secretKeys = documentedSecretKeys();
    const usedSecretKeys = new Set<string>();
    for (const name of SERVICES) {
      const vars = containerEnv(objects, mainContainer(name));
      expect([...vars.keys()].sort(), name).toEqual(envReadBy(name));
      for (const [key, v] of vars) {
        expect(documented.has(key) || /^[A-Z]+_URL$/.test(key), `${name}: ${key} in .env.example`).toBe(true);
        const ref = 'valueFrom' in v ? v.valueFrom : undefined;
        if (ref?.secretKeyRef) {
          expect(ref.secretKeyRef.name, `${name}: ${key}`).toBe('supergraph-secrets');
          expect(secretKeys.has(ref.secretKeyRef.key), `${name}: ${ref.secretKeyRef.key} in secrets.env.example`).toBe(
            true,
          );
          usedSecretKeys.add(ref.secretKeyRef.key);
        }
        if (ref?.configMapKeyRef) {
          const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref.configMapKeyRef!.name);
          expect(map, `${name}: ${key} from ConfigMap ${ref.configMapKeyRef.name}`).toBeDefined();
          // A key that must be there is there; an optional one may be added by the operator.
          if (!ref.configMapKeyRef.optional)
            expect(map!.data?.[ref.configMapKeyRef.key], `${name}: ${key}`).toBeDefined();
        }
        // An empty value is not "unset" for every parser (numbers, flags): unset variables are left out.
        if ('value' in v && v.value !== undefined) expect(v.value, `${name}: ${key}`).not.toBe('');
      }
    }
    expect([...usedSecretKeys].sort()).toEqual([...secretKeys].sort());
  });

  it('points the router at every subgraph Service and the users JWKS', () => {
    const vars = containerEnv(objects, mainContainer('router'));
    const value = (key: string) => (vars.get(key) as { value: string }).value;
    for (const { name, port } of SUBGRAPHS)
      expect(value(`${name.toUpperCase()}_URL`)).toBe(`http://${name}:${port}/graphql`);
    expect(value('JWKS_URL')).toBe(`http://users:${portOf('users')}/.well-known/jwks.json`);
    expect(source('subgraphs/users/src/server.ts')).toContain("'/.well-known/jwks.json'");
  });

  it('migrates each subgraph in an init container before it starts, on the same database', () => {
    for (const { name } of SUBGRAPHS) {
      const [init] = deployment(name).spec.template.spec.initContainers as Container[];
      expect(init!.command, name).toEqual(['node', 'deploy/kubernetes/migrate.cjs', name]);
      const db = (c: Container) => c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.key;
      expect(db(init!), name).toBe(`${name.toUpperCase()}_DATABASE_URL`);
      expect(db(init!), name).toBe(db(mainContainer(name)));
    }
    expect(existsSync(join(ROOT, 'deploy', 'kubernetes', 'migrate.cjs'))).toBe(true);
  });

  it('terminates gracefully, with requests and limits, a disruption budget per service', () => {
    for (const name of SERVICES) {
      const pod = deployment(name).spec.template.spec;
      const c = mainContainer(name);
      const preStop = Number(c.lifecycle!.preStop!.exec!.command[1]);
      expect(c.lifecycle?.preStop?.exec?.command[0], name).toBe('sleep');
      expect(pod.terminationGracePeriodSeconds, name).toBeGreaterThanOrEqual(preStop + DRAIN_SECONDS + 10);
      expect(pod.enableServiceLinks, name).toBe(false); // USERS_PORT=tcp://… would reach the config
      expect(cores(c.resources!.requests!.cpu!), name).toBeGreaterThan(0);
      expect(mebibytes(c.resources!.limits!.memory!), name).toBeGreaterThanOrEqual(
        mebibytes(c.resources!.requests!.memory!),
      );
      const pdb = find(objects, 'PodDisruptionBudget', name)!;
      expect(pdb.spec.selector.matchLabels, name).toEqual(deployment(name).spec.selector.matchLabels);
    }
  });

  it('autoscales what may run several replicas and nothing that must run once', () => {
    const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    const casesOnVolume = (
      deployment('cases').spec.template.spec.volumes as { persistentVolumeClaim?: unknown }[]
    ).some((v) => v.persistentVolumeClaim);
    const scaled = SERVICES.filter((s) => !SINGLE.has(s) && (s !== 'cases' || !casesOnVolume));
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual([...scaled].sort());
    for (const h of hpas) {
      expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: h.metadata.name });
      expect(h.spec.minReplicas).toBeLessThanOrEqual(h.spec.maxReplicas);
    }
    for (const name of SINGLE) {
      expect(deployment(name).spec.replicas, name).toBe(1);
      expect(deployment(name).spec.strategy.type, name).toBe('Recreate');
    }
    // cases on a ReadWriteOnce volume runs once; with photos in S3 it has no volume to share.
    const bucket = containerEnv(objects, mainContainer('cases')).get('PHOTO_S3_BUCKET');
    const ref = bucket && 'valueFrom' in bucket ? bucket.valueFrom?.configMapKeyRef : undefined;
    const bucketSet =
      !!ref && !!objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref.name)?.data?.[ref.key];
    expect(casesOnVolume).toBe(!bucketSet);
    if (casesOnVolume) expect(deployment('cases').spec.replicas).toBe(1);
  });

  it('lets subgraphs accept only the router (and Prometheus), and the router only the ingress', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0)!;
    expect(deny.spec.policyTypes).toEqual(['Ingress']);
    expect(deny.spec.ingress).toBeUndefined();
    const forSubgraphs = policies.find(
      (p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/component'] === 'subgraph',
    )!;
    for (const { name } of SUBGRAPHS)
      expect(deployment(name).spec.template.metadata.labels['app.kubernetes.io/component'], name).toBe('subgraph');
    expect(deployment('router').spec.template.metadata.labels['app.kubernetes.io/component']).toBe('router');
    const [rule] = forSubgraphs.spec.ingress;
    expect(forSubgraphs.spec.ingress).toHaveLength(1);
    const pods = rule.from.filter((f: { podSelector?: unknown }) => f.podSelector);
    expect(pods).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'router' } } }]);
    expect(rule.ports.map((p: { port: number }) => p.port).sort()).toEqual(SUBGRAPHS.map((s) => s.port).sort());
    const forRouter = policies.find((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'router')!;
    expect(forRouter.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: ROUTER_PORT }]);
    expect(forRouter.spec.ingress[0].from.every((f: { namespaceSelector?: unknown }) => f.namespaceSelector)).toBe(
      true,
    );
  });

  it('exposes the router through an Ingress that keeps WebSockets open and hides /metrics', () => {
    const [ingress, ...more] = objects.filter((o) => o.kind === 'Ingress');
    expect(more).toHaveLength(0);
    const paths = ingress!.spec.rules[0].http.paths as {
      path: string;
      backend: { service: { name: string; port: { name: string } } };
    }[];
    for (const p of paths) expect(p.backend.service).toEqual({ name: 'router', port: { name: 'http' } });
    expect(paths.map((p) => p.path)).toEqual(expect.arrayContaining(['/graphql', '/media', '/dashboard']));
    for (const p of paths)
      expect(['/metrics', '/health', '/ready'].some((hidden) => hidden.startsWith(p.path) && p.path !== '/')).toBe(
        false,
      );
    expect(
      Number(ingress!.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThanOrEqual(3600);
  });
});

describe('deploy/kubernetes/base', () => {
  it('is validated for real: the schemas refuse a wrong type and a missing required field', () => {
    // (They accept unknown fields, as the API server's non-strict decoding does.)
    const [users] = render('base').filter((o) => o.kind === 'Deployment' && o.metadata.name === 'users');
    const wrongType = structuredClone(users!);
    wrongType.spec.template.spec.containers[0].ports[0].containerPort = 'four thousand';
    expect(() => new Deployment(wrongType).validate()).toThrow();
    const missing = structuredClone(users!);
    delete missing.spec.selector;
    expect(() => new Deployment(missing).validate()).toThrow();
  });

  it('renders and validates on its own', () => {
    const objects: K8sObject[] = render('base');
    for (const o of objects)
      expect(
        () => new MODELS[`${o.apiVersion}/${o.kind}`]!(o).validate(),
        `${o.kind} ${o.metadata.name}`,
      ).not.toThrow();
  });
});

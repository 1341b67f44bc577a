import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
/** The Kustomize overlays users apply. */
export const OVERLAYS = ['small', 'large'] as const;

/** A rendered Kubernetes object (only the fields the checks read are typed). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** `kubectl kustomize deploy/kubernetes/<dir>` parsed into objects. */
export function render(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy', 'kubernetes', dir)], { encoding: 'utf8' });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

/** The one object of `kind` named `name` (a generated ConfigMap matches its name without the hash). */
export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find(
    (o) =>
      o.kind === kind &&
      (o.metadata.name === name || (kind === 'ConfigMap' && o.metadata.name.replace(/-[a-z0-9]{10}$/, '') === name)),
  );
}

/** Container env entries as rendered. */
export interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

/** A container of a rendered pod template. */
export interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvEntry[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
}

/**
 * Every variable a container gets, by name: its env entries and the keys of the ConfigMaps it
 * takes whole (envFrom), resolved in the rendered objects.
 */
export function containerEnv(
  objects: K8sObject[],
  container: Container,
): Map<string, EnvEntry | { fromConfigMap: string; value: string }> {
  const vars = new Map<string, EnvEntry | { fromConfigMap: string; value: string }>();
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: only ConfigMaps are taken whole`);
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef!.name);
    if (!map) throw new Error(`${container.name}: ConfigMap ${source.configMapRef.name} is not rendered`);
    for (const [key, value] of Object.entries(map.data ?? {}))
      vars.set(key, { fromConfigMap: map.metadata.name, value: String(value) });
  }
  for (const entry of container.env ?? []) vars.set(entry.name, entry);
  return vars;
}

/** The documented keys of the Secret `supergraph-secrets` (deploy/kubernetes/secrets.env.example). */
export function documentedSecretKeys(): Set<string> {
  const text = readFileSync(join(ROOT, 'deploy', 'kubernetes', 'secrets.env.example'), 'utf8');
  return new Set([...text.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

/** Kubernetes CPU quantity in cores ("250m" → 0.25). */
export function cores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** Kubernetes memory quantity in MiB ("512Mi" → 512, "1Gi" → 1024). */
export function mebibytes(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`unsupported memory quantity ${quantity}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

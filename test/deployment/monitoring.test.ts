import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const PROMETHEUS = join(ROOT, 'deploy', 'prometheus');
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: PROMETHEUS, encoding: 'utf8' });

/** Every metric the services register (prom-client Counter/Gauge/Histogram names in the sources). */
function exposedMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'node_modules' && entry !== 'dist' && entry !== 'test') walk(path);
      } else if (entry.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/new (Counter|Gauge|Histogram)\(\{\s*name: '([a-z_:]+)'/g)) {
          names.add(m[2]!);
          if (m[1] === 'Histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m[2]}${suffix}`);
        }
      }
    }
  };
  for (const dir of ['kit/src', 'router/src', 'subgraphs']) walk(join(ROOT, dir));
  return names;
}

/** Metric names a PromQL expression reads (identifiers followed by a selector, a range or an operator). */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const words = [...withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]!);
  const keywords = new Set([
    ...['by', 'without', 'and', 'or', 'unless', 'bool', 'offset', 'on', 'ignoring', 'group_left', 'group_right'],
    ...[
      'sum',
      'min',
      'max',
      'avg',
      'count',
      'group',
      'stddev',
      'stdvar',
      'topk',
      'bottomk',
      'quantile',
      'count_values',
    ],
  ]);
  return words.filter((w) => !keywords.has(w) && !/^\d/.test(w) && w !== '$__rate_interval' && !w.startsWith('__'));
}

/** Series that come from elsewhere: prom-client's process metrics, Prometheus itself, kube-state-metrics. */
const EXTERNAL = /^(process_|nodejs_|kube_deployment_)|^up$/;

describe('deploy/prometheus', () => {
  const rules = parse(readFileSync(join(PROMETHEUS, 'supergraph.rules.yml'), 'utf8')) as {
    groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
  };

  it('passes promtool check rules and check config', () => {
    expect(promtool('check', 'rules', 'supergraph.rules.yml')).toContain('SUCCESS');
    expect(promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
  });

  it('passes its unit tests (promtool test rules), which cover every alert', () => {
    expect(promtool('test', 'rules', 'supergraph.rules.test.yml')).toContain('SUCCESS');
    const tests = readFileSync(join(PROMETHEUS, 'supergraph.rules.test.yml'), 'utf8');
    for (const alert of rules.groups.flatMap((g) => g.rules).filter((r) => r.alert)) {
      expect(tests, alert.alert).toMatch(new RegExp(`alertname: ${alert.alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
    }
  });

  it('reads only metrics the services expose (or recorded here, or from Kubernetes)', () => {
    const exposed = exposedMetrics();
    const recorded = new Set(rules.groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [r.record] : [])));
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      for (const name of metricsIn(rule.expr)) {
        expect(
          exposed.has(name) || recorded.has(name) || EXTERNAL.test(name),
          `${rule.alert ?? rule.record}: ${name}`,
        ).toBe(true);
      }
    }
  });

  it('prints the same rules as a PrometheusRule for the Prometheus Operator', () => {
    const out = parse(
      execFileSync(process.execPath, [join(PROMETHEUS, 'prometheus-rule.cjs'), 'monitoring', 'monitoring'], {
        encoding: 'utf8',
      }),
    );
    expect(out).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { namespace: 'monitoring', labels: { release: 'monitoring' } },
    });
    expect(out.spec.groups).toEqual(rules.groups);
  });
});

describe('deploy/grafana', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'supergraph.dashboard.json'), 'utf8')) as {
    uid: string;
    templating: { list: { name: string; type: string }[] };
    panels: { id: number; type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
  };
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('queries only metrics the services expose, through the dashboard data-source variable', () => {
    const exposed = exposedMetrics();
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    for (const p of dashboard.panels.filter((p) => p.type !== 'row'))
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
    for (const { panel, expr } of queries) {
      for (const name of metricsIn(expr))
        expect(exposed.has(name) || EXTERNAL.test(name), `${panel}: ${name}`).toBe(true);
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it('shows every service metric: operations, latency, fetches, SQL by origin, event lag, outbox, subscriptions', () => {
    const shown = new Set(queries.flatMap(({ expr }) => metricsIn(expr)));
    for (const name of exposedMetrics()) {
      if (name.endsWith('_sum') || name.endsWith('_bucket') || name.endsWith('_count')) continue;
      const histogram = [`${name}_bucket`, `${name}_count`].some((n) => shown.has(n));
      expect(shown.has(name) || histogram, name).toBe(true);
    }
  });
});

#!/usr/bin/env node
/**
 * Prints deploy/prometheus/supergraph.rules.yml as a PrometheusRule for the Prometheus Operator:
 *   node deploy/prometheus/prometheus-rule.cjs [namespace] [release] | kubectl apply -f -
 * (defaults: namespace monitoring, release label monitoring), so the rules live in one file.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse, stringify } = require('yaml');

const [namespace = 'monitoring', release = 'monitoring'] = process.argv.slice(2);
const rules = parse(readFileSync(join(__dirname, 'supergraph.rules.yml'), 'utf8'));
process.stdout.write(
  stringify({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'supergraph', namespace, labels: { release } },
    spec: { groups: rules.groups },
  }),
);

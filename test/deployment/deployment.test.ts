import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROUTER_PORT, SUBGRAPHS } from '../../scripts/topology';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  build?: { args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
}

describe('deployment descriptions agree with the code', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
  const rover = parse(read('rover.yaml')) as {
    federation_version: string;
    subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
  };
  const env = read('.env.example');

  it('rover.yaml lists exactly the subgraphs, with their ports and committed SDL files', () => {
    expect(Object.keys(rover.subgraphs).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    expect(rover.federation_version).toBe(`=${require('@apollo/composition/package.json').version}`);
    for (const { name, port } of SUBGRAPHS) {
      expect(new URL(rover.subgraphs[name]!.routing_url).port).toBe(String(port));
      expect(rover.subgraphs[name]!.schema.file).toBe(`./schema/subgraphs/${name}.graphql`);
      expect(existsSync(join(ROOT, rover.subgraphs[name]!.schema.file))).toBe(true);
    }
  });

  it('docker-compose.yml runs every subgraph under its own name, port and database, and the router', () => {
    const initSql = read('deploy/postgres/init.sql');
    for (const { name, port } of SUBGRAPHS) {
      const s = compose.services[name]!;
      expect(s, `compose service ${name}`).toBeDefined();
      expect(s.build?.args?.SERVICE).toBe(`subgraphs/${name}`);
      expect(s.environment?.PORT).toBe(String(port));
      expect(new URL(s.environment!.DATABASE_URL!).pathname).toBe(`/${name}`);
      expect(s.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(s.ports).toContain(`${port}:${port}`);
      expect(s.healthcheck?.test.join(' ')).toContain(`:${port}/ready`);
      expect(s.restart).toBe('unless-stopped');
      expect(initSql).toContain(`CREATE DATABASE ${name};`);
      expect(compose.services.router!.environment?.[`${name.toUpperCase()}_URL`]).toBe(
        `http://${name}:${port}/graphql`,
      );
      expect(compose.services.router!.depends_on?.[name]?.condition).toBe('service_healthy');
    }
    expect(compose.services.router!.environment?.PORT).toBe(String(ROUTER_PORT));
    expect(compose.services.postgres?.healthcheck).toBeDefined();
    expect(compose.services.redis?.healthcheck).toBeDefined();
  });

  it('.env.example documents every variable the compose file sets', () => {
    const documented = new Set([...env.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    for (const [name, s] of Object.entries(compose.services)) {
      if (name === 'postgres' || name === 'redis') continue;
      for (const key of Object.keys(s.environment ?? {}))
        expect(documented.has(key) || /^[A-Z]+_URL$/.test(key), `${name}: ${key}`).toBe(true);
    }
  });
});

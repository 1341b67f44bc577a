import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parallelCapacity } from '../machine.probe';

describe('parallelCapacity (bench)', () => {
  it('runs the unit alone and once per core, and relates the two rates', async () => {
    const c = await parallelCapacity(300);
    expect(c.processes).toBe(cpus().length);
    expect(c.aloneRate).toBeGreaterThan(0);
    expect(c.togetherRate).toBeGreaterThan(0);
    expect(c.capacity).toBeCloseTo(c.togetherRate / c.aloneRate, 10);
  }, 20_000);
});

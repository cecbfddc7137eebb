import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { LIMIT_SPECS } from '../../src/control/limits.js';

const limitsOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const config = parseConfig(argv, env);
  if (typeof config === 'string') throw new Error(`unexpected ${config}`);
  return config.limits;
};

describe('--limit', () => {
  it('starts every cap at its documented default', () => {
    const limits = limitsOf([]);
    for (const [name, spec] of Object.entries(LIMIT_SPECS)) expect(limits[name as keyof typeof limits]).toBe(spec.default);
  });

  it('takes repeated flags and XPAY_SIM_LIMITS, flags last, with binary size suffixes', () => {
    const limits = limitsOf(['--limit', 'events=5', '--limit', 'snapshotBytes=2MiB', '--limit', 'namespaces=9'], { XPAY_SIM_LIMITS: 'namespaces=7,requestLogBytes=512k' });
    expect(limits.events).toBe(5);
    expect(limits.snapshotBytes).toBe(2 * 1024 * 1024);
    expect(limits.requestLogBytes).toBe(512 * 1024);
    expect(limits.namespaces).toBe(9);
  });

  it('refuses unknown names, missing values and values below the minimum, naming the limit', () => {
    expect(() => limitsOf(['--limit', 'nope=1'])).toThrow(/unknown limit "nope"/);
    expect(() => limitsOf(['--limit', 'events'])).toThrow(ConfigError);
    expect(() => limitsOf(['--limit', 'events=0'])).toThrow(/events must be an integer ≥ 1/);
    expect(() => limitsOf(['--limit', 'events=1.5'])).toThrow(/events/);
  });
});

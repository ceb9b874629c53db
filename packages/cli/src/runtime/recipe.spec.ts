import { describe, expect, it } from 'vitest';
import type { Settings, SolverSpec } from '../settings/settings.js';
import { describeRecipe, issueRecipeOf, recipeOf, recipeSolverSpecs } from './recipe.js';

const where = () => 'test';
const configDns: SolverSpec = {
  type: 'dns-01',
  provider: 'cloudflare',
  options: { apiToken: 'inline-secret-value', zoneToken: { env: 'CF_TOKEN' } },
  optionsFromEnvironment: false,
  where,
};
const settings = (solvers: readonly SolverSpec[]) =>
  ({ directoryUrl: 'https://ca.test/dir', solvers }) as unknown as Settings;
const spec = {
  names: ['a.test', '*.a.test'],
  keyType: 'ec256' as const,
  output: '/etc/ssl/a',
  deployHook: ['systemctl', 'reload', 'nginx'],
};

describe('issue recipes', () => {
  it('keep solvers by reference: no DNS option (inline secret or reference) reaches the store', () => {
    const recipe = recipeOf(
      settings([{ type: 'http-01-webroot', webroot: '/var/www', where }, configDns]),
      spec,
    );
    const stored = JSON.stringify(recipe);
    expect(stored).not.toContain('inline-secret-value');
    expect(stored).not.toContain('CF_TOKEN');
    expect(recipe.solvers).toEqual([
      { type: 'http-01-webroot', webroot: '/var/www' },
      { type: 'dns-01', provider: 'cloudflare', options: 'config' },
    ]);
    expect(describeRecipe(recipe)).toBe(
      'issued with: webroot /var/www + dns cloudflare, key ec256, output /etc/ssl/a, hook systemctl',
    );
  });

  it('renew with the config’s DNS solver as it is now, or the environment’s options', () => {
    const recipe = recipeOf(settings([configDns]), spec);
    expect(recipeSolverSpecs(recipe, settings([configDns]))).toEqual([configDns]);
    const fromEnvironment = recipeOf(
      settings([{ ...configDns, options: {}, optionsFromEnvironment: true }]),
      spec,
    );
    expect(recipeSolverSpecs(fromEnvironment, settings([]))).toMatchObject([
      { type: 'dns-01', provider: 'cloudflare', options: {}, optionsFromEnvironment: true },
    ]);
  });

  it('remember --dns-account-01 so renewals prefer dns-account-01 too, from the config or the environment', () => {
    const withFlag: SolverSpec = { ...configDns, dnsAccount01: true };
    const recipe = recipeOf(settings([withFlag]), spec);
    expect(recipe.solvers).toEqual([
      { type: 'dns-01', provider: 'cloudflare', options: 'config', dnsAccount01: true },
    ]);
    expect(describeRecipe(recipe)).toContain('dns cloudflare (dns-account-01)');
    // Renewed without the flag on the command line: the config's solver, with dns-account-01 still on.
    expect(recipeSolverSpecs(recipe, settings([configDns]))).toEqual([withFlag]);
    const fromEnvironment = recipeOf(
      settings([{ ...withFlag, options: {}, optionsFromEnvironment: true }]),
      spec,
    );
    expect(recipeSolverSpecs(fromEnvironment, settings([]))).toMatchObject([
      { type: 'dns-01', provider: 'cloudflare', optionsFromEnvironment: true, dnsAccount01: true },
    ]);
  });

  it('remember --dns-persist-01 so renewals answer from the standing record too', () => {
    const withFlag: SolverSpec = { ...configDns, dnsPersist01: true };
    const recipe = recipeOf(settings([withFlag]), spec);
    expect(recipe.solvers).toEqual([
      { type: 'dns-01', provider: 'cloudflare', options: 'config', dnsPersist01: true },
    ]);
    expect(describeRecipe(recipe)).toContain('dns cloudflare (dns-persist-01)');
    expect(recipeSolverSpecs(recipe, settings([configDns]))).toEqual([withFlag]);
    const fromEnvironment = recipeOf(
      settings([{ ...withFlag, options: {}, optionsFromEnvironment: true }]),
      spec,
    );
    expect(recipeSolverSpecs(fromEnvironment, settings([]))).toMatchObject([
      { type: 'dns-01', provider: 'cloudflare', optionsFromEnvironment: true, dnsPersist01: true },
    ]);
  });

  it('a DNS solver gone from the config is a config error that names the ways out', () => {
    const recipe = recipeOf(settings([configDns]), spec);
    expect(() => recipeSolverSpecs(recipe, settings([]))).toThrow(
      /a\.test, \*\.a\.test was issued with the DNS solver cloudflare of the config file[\s\S]*certkeeper forget a\.test \*\.a\.test/,
    );
  });

  it('reads only issue recipes it knows', () => {
    const record = (recipe: Record<string, unknown>) => ({
      key: 'k',
      directoryUrl: 'https://ca.test/dir',
      identifiers: [],
      recipe,
      createdAt: '',
      updatedAt: '',
    });
    expect(issueRecipeOf(record({ source: 'config' }))).toBeUndefined();
    expect(issueRecipeOf(record({ source: 'issue', version: 2, names: [], solvers: [] }))).toBeUndefined();
    const recipe = recipeOf(settings([]), spec);
    expect(issueRecipeOf(record(recipe as unknown as Record<string, unknown>))).toEqual(recipe);
  });
});

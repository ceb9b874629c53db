import { type CertificateKeyType, CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { ManagedCertificateRecord } from '@certkeeper/store';
import { formatListenAddress, type ListenAddress } from '../settings/listen-address.js';
import type { CsrSpec } from '../settings/read-csr.js';
import type { CertificateSpec, Settings, SolverSpec } from '../settings/settings.js';

/**
 * A solver as a recipe keeps it: paths and addresses as given, a DNS plugin only by name and where its options
 * come from (the config file's solver, or CERTKEEPER_<PLUGIN>_* variables) — never an option, so no secret and
 * no inline value reaches the store.
 */
export type RecipeSolver = (
  | { readonly type: 'http-01-standalone'; readonly listen: ListenAddress }
  | { readonly type: 'tls-alpn-01-standalone'; readonly listen: ListenAddress }
  | { readonly type: 'http-01-webroot'; readonly webroot: string }
  | {
      readonly type: 'dns-01';
      readonly provider: string;
      readonly options: 'config' | 'environment';
      /** `--dns-account-01` was given: renewals prefer dns-account-01 too. */
      readonly dnsAccount01?: true;
      /** `--dns-persist-01` was given: renewals answer from the standing record too. */
      readonly dnsPersist01?: true;
    }
) & {
  /** The solver's `domains` in the config file when it was issued: which names it answered for. */
  readonly domains?: readonly string[];
};

/**
 * How `issue` made a certificate, kept in its managed record so a plain `renew` or `run` renews and deploys it the
 * same way. Certificates of the config file have `{ source: 'config' }` instead: the config stays their recipe.
 */
export interface IssueRecipe {
  readonly source: 'issue';
  readonly version: 1;
  readonly names: readonly string[];
  readonly directoryUrl: string;
  readonly keyType: CertificateKeyType;
  readonly profile?: string;
  readonly output?: string;
  readonly deployHook?: readonly string[];
  /** `issue --reuse-key`: renewals keep the key. */
  readonly reuseKey?: boolean;
  /** `issue --csr`: the CSR itself (not only its path), so renewals order with it even if the file moves. */
  readonly csr?: CsrSpec;
  readonly solvers: readonly RecipeSolver[];
}

export const CONFIG_RECIPE: Readonly<Record<string, unknown>> = { source: 'config' };

export function recipeOf(settings: Settings, spec: CertificateSpec): IssueRecipe {
  return {
    source: 'issue',
    version: 1,
    names: spec.names,
    directoryUrl: settings.directoryUrl,
    keyType: spec.keyType,
    ...(spec.profile ? { profile: spec.profile } : {}),
    ...(spec.output ? { output: spec.output } : {}),
    ...(spec.deployHook ? { deployHook: spec.deployHook } : {}),
    ...(spec.reuseKey ? { reuseKey: true } : {}),
    ...(spec.csr ? { csr: spec.csr } : {}),
    solvers: settings.solvers.map(recipeSolver),
  };
}

function recipeSolver(spec: SolverSpec): RecipeSolver {
  const scope = spec.domains ? { domains: spec.domains } : {};
  if (spec.type === 'http-01-standalone' || spec.type === 'tls-alpn-01-standalone')
    return { type: spec.type, listen: spec.listen, ...scope };
  if (spec.type === 'http-01-webroot') return { type: spec.type, webroot: spec.webroot, ...scope };
  return {
    type: 'dns-01',
    provider: spec.provider,
    options: spec.optionsFromEnvironment ? 'environment' : 'config',
    ...(spec.dnsAccount01 ? { dnsAccount01: true as const } : {}),
    ...(spec.dnsPersist01 ? { dnsPersist01: true as const } : {}),
    ...scope,
  };
}

/** The issue recipe in a managed record; undefined for a config certificate's record or one this version cannot read. */
export function issueRecipeOf(record: ManagedCertificateRecord): IssueRecipe | undefined {
  const recipe = record.recipe as Partial<IssueRecipe>;
  if (recipe.source !== 'issue' || recipe.version !== 1) return undefined;
  if (!Array.isArray(recipe.names) || !Array.isArray(recipe.solvers)) return undefined;
  return recipe as IssueRecipe;
}

export function specOfRecipe(recipe: IssueRecipe): CertificateSpec {
  return {
    names: recipe.names,
    keyType: recipe.keyType,
    ...(recipe.profile ? { profile: recipe.profile } : {}),
    ...(recipe.output ? { output: recipe.output } : {}),
    ...(recipe.deployHook ? { deployHook: recipe.deployHook } : {}),
    ...(recipe.reuseKey ? { reuseKey: true } : {}),
    ...(recipe.csr ? { csr: recipe.csr } : {}),
  };
}

/**
 * The solvers to renew a recipe's certificate with. A DNS plugin whose options were the config file's takes
 * them from the config file now (its secrets as references there).
 *
 * @throws CertkeeperError CONFIG_INVALID when the config no longer has that DNS solver.
 */
export function recipeSolverSpecs(recipe: IssueRecipe, settings: Settings): SolverSpec[] {
  const names = recipe.names.join(', ');
  const where = () => `the recipe of ${names} (certkeeper issue)`;
  return recipe.solvers.map((solver): SolverSpec => {
    if (solver.type !== 'dns-01') return { ...solver, where };
    if (solver.options === 'environment')
      return {
        type: 'dns-01',
        provider: solver.provider,
        options: {},
        optionsFromEnvironment: true,
        ...(solver.dnsAccount01 ? { dnsAccount01: true } : {}),
        ...(solver.dnsPersist01 ? { dnsPersist01: true } : {}),
        ...(solver.domains ? { domains: solver.domains } : {}),
        where: (key) => (key ? `--dns ${solver.provider} (option ${key})` : `--dns ${solver.provider}`),
      };
    // Of two DNS solvers of one plugin (an account per zone), the one with the same domains.
    const candidates = settings.solvers.filter(
      (spec) => spec.type === 'dns-01' && spec.provider === solver.provider,
    );
    const configured =
      candidates.find((spec) => JSON.stringify(spec.domains) === JSON.stringify(solver.domains)) ??
      candidates[0];
    if (!configured)
      throw new CertkeeperError(
        ErrorCodes.CONFIG_INVALID,
        `${names} was issued with the DNS solver ${solver.provider} of the config file, which no longer configures it; nothing was ordered for it.`,
        {
          hint: `add the dns-01 solver with provider ${solver.provider} back to the config file, issue it again with other solver flags (certkeeper issue --dns <plugin> ${recipe.names.join(' ')}), or stop keeping it: certkeeper forget ${recipe.names.join(' ')}.`,
        },
      );
    const scoped: SolverSpec = solver.domains ? { ...configured, domains: solver.domains } : configured;
    return scoped.type === 'dns-01'
      ? {
          ...scoped,
          ...(solver.dnsAccount01 ? { dnsAccount01: true } : {}),
          ...(solver.dnsPersist01 ? { dnsPersist01: true } : {}),
        }
      : scoped;
  });
}

/** One short line for `status`: how the certificate is renewed. Paths and commands only, never a secret value. */
export function describeRecipe(recipe: IssueRecipe): string {
  const solvers = recipe.solvers.map((solver) =>
    solver.type === 'http-01-webroot'
      ? `webroot ${solver.webroot}`
      : solver.type === 'http-01-standalone'
        ? `standalone ${formatListenAddress(solver.listen)}`
        : solver.type === 'tls-alpn-01-standalone'
          ? `tls-alpn standalone ${formatListenAddress(solver.listen)}`
          : `dns ${solver.provider}${solver.dnsPersist01 ? ' (dns-persist-01)' : ''}${solver.dnsAccount01 ? ' (dns-account-01)' : ''}`,
  );
  const scoped = solvers.map((text, index) => {
    const domains = recipe.solvers[index]!.domains;
    return domains ? `${text} for ${domains.join(', ')}` : text;
  });
  return [
    `issued with: ${scoped.join(' + ') || 'no solver'}`,
    recipe.csr ? `key ${recipe.keyType} of your own (CSR ${recipe.csr.file})` : `key ${recipe.keyType}`,
    ...(recipe.profile ? [`profile ${recipe.profile}`] : []),
    ...(recipe.output ? [`output ${recipe.output}`] : []),
    // The program only: a hook's arguments may carry a token the user typed.
    ...(recipe.deployHook ? [`hook ${recipe.deployHook[0]}`] : []),
  ].join(', ');
}

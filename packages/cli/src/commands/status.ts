import type { CertificateStatus } from '@certkeeper/manager';
import { allManaged, type Store } from '@certkeeper/store';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { outputWidth } from '../output/fit-text.js';
import { renderStatusBlocks } from '../output/status-blocks.js';
import { checkStatus, withPersistWarnings } from '../output/status-check.js';
import { renderStatus } from '../output/status-view.js';
import { allStatus } from '../runtime/all-status.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { PersistRecordsFile, persistExpiryWarning } from '../runtime/persist-records-file.js';
import { describeRecipe, type IssueRecipe, issueRecipeOf } from '../runtime/recipe.js';
import { type CommandContext, settingsOf } from './context.js';

export interface StatusOptions {
  /** The table of every column (about 170 wide), as before the compact view. */
  readonly wide?: boolean;
  /** Monitoring: one summary line, exit 1 when any certificate needs attention. */
  readonly check?: boolean;
}

/** Every `issue` recipe in the store, by certificate key. */
async function issueRecipes(store: Store): Promise<Map<string, IssueRecipe>> {
  const recipes = new Map<string, IssueRecipe>();
  for await (const record of allManaged(store)) {
    const recipe = issueRecipeOf(record);
    if (recipe) recipes.set(record.key, recipe);
  }
  return recipes;
}

/**
 * `certkeeper status`: every configured and stored certificate of every CA and account in the store (narrowed by
 * --ca/--account), from the store alone (no CA request) — blocks that fit the terminal, `--wide` the table,
 * `--check` one line and an exit code for monitoring.
 */
export async function statusCommand(
  context: CommandContext,
  options: StatusOptions = {},
): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  try {
    const report = await allStatus(settings, runtime, context.flags);
    const now = new Date();
    const recipes = await issueRecipes(runtime.store);
    // A configured certificate is kept from the config, whatever an earlier `issue` of its names remembered.
    const recipeFor = (certificate: CertificateStatus) =>
      certificate.key && !certificate.configured ? recipes.get(certificate.key) : undefined;
    const described = new Map<string, string>();
    for (const certificate of report.certificates) {
      const recipe = recipeFor(certificate);
      if (recipe) described.set(certificate.key!, describeRecipe(recipe));
    }
    // dns-persist-01 records `persist publish` wrote: warn 30 days before their persistUntil, when orders would
    // start failing for want of them.
    const persistRecords = (await new PersistRecordsFile(settings.storeDirectory).list()).map((record) => {
      const warning = persistExpiryWarning(record, now);
      return warning ? { ...record, warning } : record;
    });
    const warnings = persistRecords.flatMap((record) =>
      'warning' in record
        ? [
            {
              names: record.wildcard ? [record.name, `*.${record.name}`] : [record.name],
              warning: record.warning,
            },
          ]
        : [],
    );
    const check = options.check ? withPersistWarnings(checkStatus(report, now), warnings) : undefined;
    // --json gets each recipe whole (paths, solver types and plugin names, the hook: no secret values).
    const json = {
      ...report,
      certificates: report.certificates.map((certificate) => {
        const recipe = recipeFor(certificate);
        return recipe ? { ...certificate, recipe } : certificate;
      }),
      ...(check ? { check: { exitCode: check.code, summary: check.line, problems: check.problems } } : {}),
      ...(persistRecords.length > 0 ? { persistRecords } : {}),
    };
    const text = check
      ? check.line
      : options.wide
        ? renderStatus(report, now, described)
        : renderStatusBlocks(report, now, outputWidth(process.stdout, context.env), described, context.cwd);
    context.print(
      check ? text : [text, ...warnings.map((entry) => `warning: ${entry.warning}`)].join('\n'),
      json,
    );
    return check?.code ?? ExitCode.OK;
  } finally {
    await runtime.close();
  }
}

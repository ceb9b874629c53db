import { buildStatusReport, type CertificateStatus } from '@certkeeper/manager';
import { allManaged, type Store } from '@certkeeper/store';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { renderStatus } from '../output/status-view.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { describeRecipe, type IssueRecipe, issueRecipeOf } from '../runtime/recipe.js';
import { statusRequests } from '../runtime/status-requests.js';
import { type CommandContext, settingsOf } from './context.js';

/** Every `issue` recipe in the store, by certificate key. */
async function issueRecipes(store: Store): Promise<Map<string, IssueRecipe>> {
  const recipes = new Map<string, IssueRecipe>();
  for await (const record of allManaged(store)) {
    const recipe = issueRecipeOf(record);
    if (recipe) recipes.set(record.key, recipe);
  }
  return recipes;
}

/** `certkeeper status`: the table of every configured and stored certificate, from the store alone (no CA request). */
export async function statusCommand(context: CommandContext): Promise<ExitCodeValue> {
  const settings = await settingsOf(context);
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    solvers: false,
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
  });
  try {
    const report = await buildStatusReport({
      options: runtime.managerOptions,
      store: runtime.store,
      requests: statusRequests(settings),
    });
    const recipes = await issueRecipes(runtime.store);
    // A configured certificate is kept from the config, whatever an earlier `issue` of its names remembered.
    const recipeFor = (certificate: CertificateStatus) =>
      certificate.key && !certificate.configured ? recipes.get(certificate.key) : undefined;
    const described = new Map<string, string>();
    for (const certificate of report.certificates) {
      const recipe = recipeFor(certificate);
      if (recipe) described.set(certificate.key!, describeRecipe(recipe));
    }
    // --json gets each recipe whole (paths, solver types and plugin names, the hook: no secret values).
    const json = {
      ...report,
      certificates: report.certificates.map((certificate) => {
        const recipe = recipeFor(certificate);
        return recipe ? { ...certificate, recipe } : certificate;
      }),
    };
    context.print(renderStatus(report, new Date(), described), json);
    return ExitCode.OK;
  } finally {
    await runtime.close();
  }
}

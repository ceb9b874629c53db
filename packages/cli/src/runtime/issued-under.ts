import { allManaged } from '@certkeeper/store';
import type { Runtime } from './open-runtime.js';
import { issueRecipeOf } from './recipe.js';
import { itemOfRecipe, keyOf } from './work-items.js';

/**
 * The names of each certificate `issue` made under `accountUrl` at this CA. Their store keys include the account,
 * so `renew` keeps them under that account only: after `account register --new` they are not renewed, and this
 * lists what to issue again.
 */
export async function issuedUnder(runtime: Runtime, accountUrl: string): Promise<string[][]> {
  const found: string[][] = [];
  for await (const record of allManaged(runtime.store)) {
    const recipe = issueRecipeOf(record);
    if (!recipe || recipe.directoryUrl !== runtime.settings.directoryUrl) continue;
    if (keyOf(runtime, accountUrl, itemOfRecipe(runtime, recipe).request) === record.key)
      found.push([...recipe.names]);
  }
  return found;
}

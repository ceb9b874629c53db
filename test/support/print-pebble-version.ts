import { pebbleBinaries } from '@certkeeper/testkit';

/**
 * vitest globalSetup of the integration project: names the Pebble every test runs against, once per run, and fails
 * the run at once (saying to run scripts/setup.sh) when Pebble 2.10 is missing.
 */
export default function printPebbleVersion(): void {
  const { pebble, version } = pebbleBinaries();
  process.stdout.write(`Pebble ${version} (${pebble})\n`);
}

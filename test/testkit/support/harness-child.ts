// Runs in a separate Node process (see pebble-lifecycle.test.ts): starts a harness, reports what it started, then
// either exits without calling stop() ("exit") or waits to be SIGKILLed ("wait").
import { startPebble } from '@certkeeper/testkit';

const pebble = await startPebble();
process.stdout.write(`${JSON.stringify({ pids: pebble.pids, configDir: pebble.configDir })}\n`);
if (process.argv[2] === 'exit') process.exit(3);
setInterval(() => {}, 60_000);

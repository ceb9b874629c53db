import { runDeployHook } from '../deploy/run-hook.js';
import { errorText, type Reporter } from '../output/reporter.js';
import { parseHookCommand } from '../settings/hook-command.js';
import type { Settings } from '../settings/settings.js';

/**
 * `--pre-hook`/`--post-hook` (`defaults.preHook`/`postHook`): run once around the orders of one `renew` or one
 * daemon sweep — the pre-hook before the first certificate that needs an order (e.g. stop the web server that
 * holds port 80 for the standalone responder), the post-hook after the last one, even when it failed or the run
 * was interrupted (start it again). A sweep where everything is fresh runs neither. A failing hook is reported as a
 * warning and the run goes on: the orders say for themselves whether they could bind the port.
 */
export class SweepHooks {
  /** The pre-hook's run, once its moment came: certificates ordering at once all wait for this one run. */
  private pre: Promise<void> | undefined;

  constructor(
    private readonly hooks: { readonly pre?: readonly string[]; readonly post?: readonly string[] },
    private readonly timeoutMs: number,
  ) {}

  get configured(): boolean {
    return Boolean(this.hooks.pre || this.hooks.post);
  }

  /** Before an order: the pre-hook, the first time only; later and concurrent callers wait for that run. */
  beforeOrder(reporter: Reporter): Promise<void> {
    this.pre ??= this.run('pre', this.hooks.pre, reporter);
    return this.pre;
  }

  /** After the last order: the post-hook, when the pre-hook's moment came; then ready for the next sweep. */
  async afterOrders(reporter: Reporter): Promise<void> {
    const pre = this.pre;
    if (!pre) return;
    await pre;
    this.pre = undefined;
    await this.run('post', this.hooks.post, reporter);
  }

  private async run(
    which: 'pre' | 'post',
    command: readonly string[] | undefined,
    reporter: Reporter,
  ): Promise<void> {
    if (!command) return;
    try {
      const { ms } = await runDeployHook(command, { CERTKEEPER_HOOK: which }, this.timeoutMs, {
        name: `${which}-hook`,
        consequence:
          which === 'pre' ? 'the orders go ahead without it' : 'the certificates are stored and deployed',
        hint: `fix the hook (--${which}-hook or defaults.${which}Hook) and run it by hand; it gets CERTKEEPER_HOOK=${which}.`,
      });
      reporter.info(`${which}-hook ${command.join(' ')}: done in ${ms} ms`);
    } catch (error) {
      reporter.warn(errorText(error));
    }
  }
}

/** The hooks of a `renew` or `run`: `--pre-hook`/`--post-hook` (split like `--deploy-hook`) over the config's. */
export function sweepHooksOf(
  settings: Pick<Settings, 'preHook' | 'postHook' | 'deployHookTimeoutMs'>,
  flags: { readonly preHook?: string; readonly postHook?: string },
): SweepHooks {
  const pre = flags.preHook?.trim() ? parseHookCommand(flags.preHook, '--pre-hook') : settings.preHook;
  const post = flags.postHook?.trim() ? parseHookCommand(flags.postHook, '--post-hook') : settings.postHook;
  return new SweepHooks({ ...(pre ? { pre } : {}), ...(post ? { post } : {}) }, settings.deployHookTimeoutMs);
}

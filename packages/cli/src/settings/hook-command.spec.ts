import { CertkeeperError } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { parseHookCommand } from './hook-command.js';

function refusal(text: string): CertkeeperError {
  try {
    parseHookCommand(text, '--deploy-hook');
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseHookCommand', () => {
  it('splits like a shell: quotes and backslashes honoured, variables left as written', () => {
    expect(parseHookCommand(`sh -c 'echo hi >> x'`, '--deploy-hook')).toEqual(['sh', '-c', 'echo hi >> x']);
    expect(parseHookCommand('systemctl  reload nginx', '--deploy-hook')).toEqual([
      'systemctl',
      'reload',
      'nginx',
    ]);
    expect(parseHookCommand(`cp "a b" c\\ d`, '--deploy-hook')).toEqual(['cp', 'a b', 'c d']);
    expect(parseHookCommand('notify $CERTKEEPER_NAMES', '--deploy-hook')).toEqual([
      'notify',
      '$CERTKEEPER_NAMES',
    ]);
  });

  it('refuses what needs a shell, saying how to wrap it', () => {
    const piped = refusal('systemctl reload nginx && echo done');
    expect(piped.message).toContain('`&&` needs a shell');
    expect(piped.hint).toContain(`--deploy-hook "sh -c 'systemctl reload nginx && echo done'"`);
    expect(refusal('echo hi > /tmp/x').message).toContain('`>` needs a shell');
    expect(refusal('rm *.pem').message).toContain('`*.pem` needs a shell');
    expect(refusal('   ').message).toMatch(/^--deploy-hook is empty\./);
  });
});

import { fill, h } from '../dom.js';

/** Shown when the daemon needs a token: it goes into this tab's sessionStorage and every API request. */
export function renderTokenForm(
  target: HTMLElement,
  rejected: boolean,
  submit: (token: string) => void,
): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'token-help',
  });
  const form = h(
    'form',
    {
      class: 'token-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (input.value.trim()) submit(input.value.trim());
      },
    },
    h('h2', {}, 'This daemon needs a token'),
    h(
      'p',
      { id: 'token-help' },
      rejected
        ? 'That token was refused. Paste the value of daemon.auth.token from the daemon’s configuration.'
        : 'Paste the value of daemon.auth.token from the daemon’s configuration. It is kept in this tab only.',
    ),
    h('label', { for: 'token' }, 'Token'),
    input,
    h('button', { type: 'submit' }, 'Show the status'),
  );
  fill(target, form);
  input.focus();
}

import { allCommands, type CommandModel, type FlagModel } from '../completion/command-model.js';
import { EXIT_CODES_HELP } from '../program.js';

/**
 * certkeeper(1) in roff (man macros), generated from the commander definitions like the completion scripts: the
 * COMMANDS and OPTIONS sections are the program's own descriptions, EXIT STATUS is the text `--help` prints. The
 * prose sections (FILES, ENVIRONMENT) are written here, next to the generator.
 */
export function manPage(root: CommandModel, version: string): string {
  const lines: string[] = [
    `.TH CERTKEEPER 1 "" "certkeeper ${roff(version)}" "User Commands"`,
    // No hyphenation: flag and variable names broken across lines cannot be copied.
    '.nh',
    '.SH NAME',
    `certkeeper \\- ${roff(root.description)}`,
    '.SH SYNOPSIS',
    '.B certkeeper',
    '[\\fIoptions\\fR]',
    '\\fIcommand\\fR',
    '[\\fIcommand options\\fR]',
    '[\\fIarguments\\fR]',
    '.SH DESCRIPTION',
    'certkeeper obtains TLS certificates from an ACME (RFC 8555) CA and keeps them fresh:',
    '.B issue',
    'orders one now,',
    '.B renew',
    'renews what is due (cron\\-safe: a run with nothing due sends nothing to the CA), and',
    '.B run',
    'does it as a daemon.',
    'Certificates come from the YAML config file',
    '.RB ( \\-\\-config )',
    'and from earlier',
    '.B issue',
    'commands, which are renewed the way they were made.',
    'Program options are accepted before or after the command.',
    '.SH COMMANDS',
  ];
  for (const command of allCommands(root).slice(1)) {
    if (command.name === 'help') continue;
    lines.push('.TP', `.B ${synopsis(command)}`, roff(command.description));
    for (const argument of command.arguments)
      lines.push('.RS', '.TP', `.I ${roff(argument.name)}`, roff(argument.description), '.RE');
    const own = command.flags.filter((flag) => flag.long !== '--help');
    if (own.length > 0) {
      lines.push('.RS');
      for (const flag of own) lines.push(...flagItem(flag));
      lines.push('.RE');
    }
  }
  lines.push(
    '.TP',
    '.B help \\fR[\\fIcommand\\fR]',
    'print the help of the program or of a command (also \\fB\\-\\-help\\fR after any command).',
    '.SH OPTIONS',
    'These apply to every command.',
  );
  for (const flag of root.flags) lines.push(...flagItem(flag));
  lines.push('.SH "EXIT STATUS"');
  for (const row of exitStatusRows()) lines.push('.TP', `.B ${row.code}`, roff(row.text));
  lines.push(
    '.PP',
    'With several certificates the worst result wins: 2 > 1 > 3 > 4 > 0.',
    'A systemd service running \\fBrenew\\fR should set \\fBSuccessExitStatus=3 4\\fR.',
    '.SH FILES',
    '.TP',
    '.I ./certkeeper.yaml',
    'the config file when neither \\fB\\-\\-config\\fR nor \\fBCERTKEEPER_CONFIG\\fR names one (\\fBcertkeeper init\\fR writes a commented one).',
    '.TP',
    '.I $XDG_DATA_HOME/certkeeper, ~/.local/share/certkeeper',
    'the store (\\fB\\-\\-data\\-dir\\fR, or \\fBstore.directory\\fR in the config): accounts and their keys, certificates, orders in flight, leases. Keep it private; back it up.',
    '.TP',
    '.I <store>/certificates/<name>/{fullchain,privkey,cert,chain}.pem',
    'each certificate and its key (privkey.pem mode 0600), replaced atomically on renewal; \\fBoutput\\fR in the config (\\fB\\-\\-output\\fR for \\fBissue\\fR) writes them elsewhere too.',
    '.TP',
    '.I certkeeper.service, certkeeper\\-renew.service, certkeeper\\-renew.timer',
    'systemd units shipped with the package: the daemon, or \\fBrenew\\fR twice a day.',
    '.SH ENVIRONMENT',
    '.TP',
    '.B CERTKEEPER_CONFIG',
    'the config file, when \\fB\\-\\-config\\fR is not given.',
    '.TP',
    '.B CERTKEEPER_EAB_HMAC_KEY',
    'the External Account Binding HMAC key (safer than \\fB\\-\\-eab\\-hmac\\-key\\fR, which others can see in the process list).',
    '.TP',
    '.B CERTKEEPER_\\fIPLUGIN\\fB_\\fIOPTION\\fR',
    'an option of the DNS plugin chosen with \\fB\\-\\-dns\\fR, e.g. \\fBCERTKEEPER_CLOUDFLARE_API_TOKEN\\fR; \\fBcertkeeper plugins\\fR lists them.',
    '.TP',
    '.B XDG_DATA_HOME',
    'where the default store lives.',
    '.TP',
    '.B CERTKEEPER_EVENT, CERTKEEPER_NAMES, CERTKEEPER_PRIMARY_NAME, CERTKEEPER_CERT_DIR, CERTKEEPER_FULLCHAIN, CERTKEEPER_PRIVKEY, CERTKEEPER_CERT, CERTKEEPER_CHAIN, CERTKEEPER_NOT_AFTER, CERTKEEPER_SERIAL',
    'set for a deploy hook: what happened, to which names, and where the files are.',
    '.SH EXAMPLES',
    '.nf',
    'certkeeper issue \\-\\-email admin@example.com \\-\\-http\\-webroot /var/www/html example.com www.example.com',
    'certkeeper renew \\-\\-config /etc/certkeeper.yaml      # from cron or the timer',
    'source <(certkeeper completion bash)',
    '.fi',
    '.SH "SEE ALSO"',
    '.BR systemd.service (5),',
    '.BR systemd.timer (5),',
    '.BR certbot (1),',
    '.BR lego (1);',
    'RFC 8555 (ACME); the certkeeper README.',
    '',
  );
  return lines.join('\n');
}

/** `account register [--new]`-style heading: the command path, its arguments and whether it has options. */
function synopsis(command: CommandModel): string {
  const args = command.arguments.map((a) => {
    const name = `${a.name}${a.variadic ? '...' : ''}`;
    return a.required ? `\\fI${roff(name)}\\fB` : `[\\fI${roff(name)}\\fB]`;
  });
  return roff(command.path.join(' ')) + (args.length > 0 ? ` ${args.join(' ')}` : '');
}

function flagItem(flag: FlagModel): string[] {
  const names = [flag.short, flag.long].filter((name): name is string => name !== undefined);
  const placeholder = flag.placeholder ? ` \\fI${roff(flag.placeholder)}\\fR` : '';
  // Suggestions for free values (--ca) are in the description already; a fixed list is not.
  const choices =
    flag.value?.type === 'words' && flag.value.exclusive ? ` One of: ${flag.value.words.join(', ')}.` : '';
  return [
    '.TP',
    `${names.map((name) => `\\fB${roff(name)}\\fR`).join(', ')}${placeholder}`,
    roff(`${flag.description}${choices ? (/[.)]$/.test(flag.description) ? '' : '.') + choices : ''}`),
  ];
}

/** The exit codes as `--help` lists them (program.ts EXIT_CODES_HELP), one row per code. */
export function exitStatusRows(): { code: string; text: string }[] {
  const rows: { code: string; text: string }[] = [];
  for (const line of EXIT_CODES_HELP.split('\n')) {
    const match = /^ {2}(\d+(?:\/\d+)?) {2}(.+)$/.exec(line);
    if (match) rows.push({ code: match[1]!, text: match[2]! });
    else if (/^ {5}\S/.test(line) && rows.length > 0) rows[rows.length - 1]!.text += ` ${line.trim()}`;
  }
  return rows;
}

/**
 * Text made safe for roff: backslashes and hyphens escaped, characters beyond ASCII as \[uXXXX] (groff and mandoc
 * read them without a preprocessor), no line starting with a control character.
 */
function roff(text: string): string {
  return text
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .replace(
      /[^\x20-\x7e\n]/gu,
      (char) => `\\[u${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
    )
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

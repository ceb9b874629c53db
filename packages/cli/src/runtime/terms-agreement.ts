import { createInterface } from 'node:readline/promises';
import { AcmeClient, CertkeeperError, ErrorCodes, generateAccountKey } from '@certkeeper/core';
import type { Settings } from '../settings/settings.js';
import type { Runtime } from './open-runtime.js';

export interface TermsIo {
  /** A person can answer: stdin and stderr are terminals (never for the daemon). */
  readonly interactive: boolean;
  /** Ask a y/N question on the terminal; resolves to the answer. */
  readonly ask?: (question: string) => Promise<string>;
  /** Say once that the terms were agreed to, and where they are. */
  readonly announce: (line: string) => void;
}

/**
 * Agreement to the CA's terms of service, decided once per process before a NEW account is registered: agreed with
 * `--agree-tos` or `account.agreeTos: true` (and the URL printed), else asked on a terminal (y/N, the URL shown),
 * else refused with TERMS_NOT_AGREED (exit 2) naming the URL, the flag and the key. Nothing is asked for an account
 * already stored. The decision is cached, so several certificates in one run ask once.
 */
export class TermsAgreement {
  private decided: Promise<void> | undefined;

  constructor(
    private readonly settings: Pick<Settings, 'directoryUrl' | 'account'>,
    private readonly io: TermsIo,
  ) {}

  /** For the manager's `account.agreeToTerms`: called with the CA's terms URL just before registering. */
  readonly agree = (termsOfService: string | undefined): Promise<void> => {
    this.decided ??= this.decide(termsOfService);
    return this.decided;
  };

  /**
   * Before any certificate's work starts (so a prompt is not drawn over by the live view): when no account is
   * stored and the terms are not agreed to already, read the CA's directory for its terms and decide now.
   */
  async beforeRegistering(runtime: Runtime): Promise<void> {
    if (this.decided) return this.decided;
    // Agreed already (--agree-tos, account.agreeTos): nothing to ask, so nothing to read early — the registration
    // reads the directory anyway and says the URL then. One directory request per run, not two.
    if (this.settings.account.agreeTos) return;
    const stored = await runtime.store.getAccount(this.settings.directoryUrl, this.settings.account.name);
    if (stored?.accountUrl) return;
    const { caBundle, allowInsecureHttp, directoryUrl } = runtime.settings;
    // Reading the directory signs nothing; AcmeClient wants a key all the same, so a throwaway one.
    const client = new AcmeClient({
      directoryUrl,
      accountKey: await generateAccountKey('ES256'),
      ...(caBundle ? { caBundle: [caBundle] } : {}),
      ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
    });
    let termsOfService: string | undefined;
    try {
      termsOfService = (await client.directory()).meta?.termsOfService;
    } catch {
      // The CA cannot be read now: the registration meets the same failure and reports it as it always did (an
      // untrusted TLS certificate as a local fault); should it get through, it asks agreeToTerms itself.
      return;
    } finally {
      await client.close();
    }
    await this.agree(termsOfService);
  }

  private async decide(termsOfService: string | undefined): Promise<void> {
    // A CA without terms has nothing to agree to.
    if (!termsOfService) return;
    const { directoryUrl, account } = this.settings;
    if (account.agreeTos) {
      this.io.announce(`agreeing to the terms of service of ${directoryUrl}: ${termsOfService}`);
      return;
    }
    if (this.io.interactive && this.io.ask) {
      const answer = await this.io.ask(
        `Registering a new account at ${directoryUrl}.\nThe CA's terms of service: ${termsOfService}\nDo you agree to them? [y/N] `,
      );
      if (/^y(es)?$/i.test(answer.trim())) return;
      throw notAgreed(directoryUrl, termsOfService, 'you answered no');
    }
    throw notAgreed(directoryUrl, termsOfService, 'no --agree-tos, and no terminal to ask on');
  }
}

function notAgreed(directoryUrl: string, termsOfService: string, why: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.TERMS_NOT_AGREED,
    `A new account at ${directoryUrl} needs agreement to the CA's terms of service, ${termsOfService} (${why}). Nothing was registered or ordered.`,
    {
      hint: 'read them, then run again with --agree-tos, or set account.agreeTos: true in the config file.',
    },
  );
}

/** The process's terminal, as TermsIo: asks on stderr when stdin and stderr are terminals. */
export function terminalTermsIo(announce: (line: string) => void, interactive = true): TermsIo {
  const tty = interactive && process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    interactive: tty,
    announce,
    ask: async (question) => {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  };
}

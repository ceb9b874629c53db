import { CertkeeperError } from './certkeeper-error.js';
import { ErrorCodes } from './codes.js';

/** The `source` of an InsecureUrlError about the configured directory URL (the configuration's fault, not the CA's). */
export const DIRECTORY_URL_SOURCE = 'the directory URL';

/**
 * A URL that is not `https://` where RFC 8555 §6.1 requires HTTPS: the directory URL itself, an entry of the
 * directory, an order's, authorization's or certificate's URL, a `Location` or `Link` header. Nothing was sent to it,
 * so no signed request and no contact address left in clear text.
 */
export class InsecureUrlError extends CertkeeperError {
  readonly url: string;
  /** Where the URL came from: `directory field newAccount`, `Location header of POST …`, `the directory URL`. */
  readonly source: string;

  constructor(url: string, source: string) {
    const what = describeScheme(url);
    super(
      ErrorCodes.INSECURE_URL,
      `Refused ${source}: ${JSON.stringify(url)} is ${what}, and ACME requires HTTPS for every URL (RFC 8555 §6.1). ` +
        'Nothing was sent to it.',
      {
        hint:
          source === DIRECTORY_URL_SOURCE
            ? 'use the CA’s https:// directory URL; only a local test CA may be allowed plain HTTP (option allowInsecureHttp, config ca.allowInsecureHttp).'
            : 'the CA handed out a URL that is not HTTPS: check the directory URL is the CA’s https:// one. A local test CA can be allowed plain HTTP (option allowInsecureHttp, config ca.allowInsecureHttp).',
      },
    );
    this.url = url;
    this.source = source;
  }
}

function describeScheme(url: string): string {
  try {
    return `an ${new URL(url).protocol.replace(/:$/, '')}: URL`;
  } catch {
    return 'not an absolute URL';
  }
}

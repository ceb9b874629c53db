/** The flags every command accepts (commander's `optsWithGlobals()`); they override the config file. */
export interface GlobalFlags {
  readonly config?: string;
  readonly ca?: string;
  readonly caBundle?: string;
  readonly dataDir?: string;
  readonly account?: string;
  readonly email?: readonly string[];
  readonly dns?: string;
  /** Let the DNS solver answer dns-account-01 where the CA offers it. */
  readonly dnsAccount01?: boolean;
  /** Let the DNS solver answer dns-persist-01 from the standing record where the CA offers it. */
  readonly dnsPersist01?: boolean;
  readonly httpWebroot?: string;
  readonly httpStandalone?: boolean;
  /** Where the standalone responder listens (implies --http-standalone); default `:80`. */
  readonly httpListen?: string;
  readonly tlsAlpnStandalone?: boolean;
  /** Where the tls-alpn-01 responder listens (implies --tls-alpn-standalone); default `:443`. */
  readonly tlsAlpnListen?: string;
  readonly keyType?: string;
  readonly profile?: string;
  readonly eabKid?: string;
  readonly eabHmacKey?: string;
  /** Accept names with a label that mixes scripts (homograph check off). */
  readonly allowMixedScripts?: boolean;
  /** Agree to the CA's terms of service when a new account is registered. */
  readonly agreeTos?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

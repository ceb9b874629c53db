/**
 * What `certkeeper init` writes: every key, commented, with safe defaults switched on (the staging CA, an http-01
 * responder) and secrets shown only as references. It MUST stay valid against configSchema (a spec checks it).
 */
export const INIT_TEMPLATE = `# certkeeper configuration (YAML). Every key is optional; flags override it.
# Add your certificates below, check with: certkeeper status    Issue what it lists with: certkeeper renew
# Secrets are never written here: give { env: VARIABLE } or { file: path } (relative to this file).

ca:
  # letsencrypt, letsencrypt-staging, zerossl, google, google-staging, buypass, buypass-staging,
  # or the https:// directory URL of any ACME CA. Start with staging; switch when it works.
  directory: letsencrypt-staging
  # staging: https://acme-test.example.net/directory  # --dry-run issues here (known for letsencrypt, google, buypass)
  # caBundle: /etc/ssl/private-ca.pem     # PEM CA certificates to trust for the CA's HTTPS (a private CA)
  # trustAnchors: /etc/ssl/acme-roots.pem # PEM roots every issued chain must end at (Let's Encrypt: ISRG Root X1, X2)
  # allowInsecureHttp: false              # true only for a local test CA over plain http:// (RFC 8555 wants HTTPS)
  # rateLimits: letsencrypt               # limits the local ledger applies: letsencrypt or none
                                          # (default: letsencrypt for Let's Encrypt, none for other CAs)

account:
  email: admin@example.com                # where the CA sends expiry and policy notices
  # name: default                         # several accounts at one CA: give each a name
  # keyAlgorithm: ES256                   # ES256, ES384 or RS256 (new accounts only)
  # eab:                                  # External Account Binding (ZeroSSL, Google): from the CA's account page
  #   kid: your-key-id
  #   hmacKey: { env: CERTKEEPER_EAB_HMAC_KEY }

# store:
#   directory: /var/lib/certkeeper         # default: $XDG_DATA_HOME/certkeeper or ~/.local/share/certkeeper
                                          # certificates/<name>/{fullchain,privkey,cert,chain}.pem live here

defaults:
  keyType: ec256                          # ec256, ec384, rsa2048, rsa3072 or rsa4096
  # profile: tlsserver                    # an ACME profile the CA offers (Let's Encrypt: classic, tlsserver, shortlived)
  # deployHook: [systemctl, reload, nginx] # run after every issuance, without a shell; see the README for its variables
  # deployHookTimeout: 300                # seconds
  # renewBefore: 30d                      # renew once less than this remains (default: 2/3 of the lifetime);
                                          # an earlier ARI window from the CA still wins
  # concurrency: 4                        # certificates a renew or daemon sweep works on at once (1 to 64)

# How to prove control of the names. One solver per challenge type answers every name; the first that fits a name
# answers it (wildcards need dns-01). More than one of a type need domains: [...] to say which names each answers
# (the most specific domain wins; example.com covers it and every name below it).
solvers:
  - type: http-01-standalone              # a built-in responder; the CA connects to port 80 of each name
    listen: ":80"
  # - type: http-01-webroot               # or write the responses into your web server's document root
  #   webroot: /var/www/html
  #   # domains: [example.com]            # only these names and those below them (a webroot per site)
  # - type: tls-alpn-01-standalone        # a built-in TLS responder; the CA connects to port 443 of each name
  #   listen: ":443"
  # - type: dns-01                        # DNS TXT records through a plugin (certkeeper plugins lists them)
  #   provider: rfc2136                   # @certkeeper/dns-rfc2136, or any package name
  #   options:
  #     server: 192.0.2.53:53
  #     keyName: certkeeper
  #     keySecret: { env: TSIG_SECRET }
  #   # zones: [example.com]              # skip the SOA lookup
  #   # propagationTimeout: 600           # seconds to wait for every authoritative nameserver
  #   # ttl: 60
  #   # dnsAccount01: true                # prefer dns-account-01 where the CA offers it (one record name per account)
  #   # dnsPersist01: true                # prefer dns-persist-01: answer from the record certkeeper persist publish made, write no DNS

# The certificates to keep: none until you add them (a placeholder would be ordered by the next renew).
# Uncomment and edit, one entry per certificate:
certificates: []
#  - names: [example.com, www.example.com]
#    # keyType: ec384
#    # profile: shortlived
#    # output: /etc/ssl/example.com       # also copy fullchain.pem, privkey.pem (0600), cert.pem, chain.pem here
#    # deployHook: [systemctl, reload, nginx]
#    # renewBefore: 30d
#  - csr: /etc/ssl/requests/intranet.csr  # a CSR of your own: its names, your key (no privkey.pem is written)

# daemon:                                 # certkeeper run
#   listen: 127.0.0.1:9464                # status page, /api, /metrics (Prometheus), /healthz; "off" for none
#   maxSweepInterval: 3600                # seconds between checks at most
#   auth:                                 # required when listen is not a loopback address
#     token: { env: CERTKEEPER_WEB_TOKEN } # Authorization: Bearer …; openssl rand -hex 32
`;

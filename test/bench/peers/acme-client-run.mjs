// One run of node's acme-client (a pinned dev-only dependency of the bench) as a user of its `auto()` would write
// it: a new ECDSA account, ECDSA certificate keys, its own http-01 responder on the port Pebble's VA uses, dns-01
// through pebble-challtestsrv. Plain JS in its own process, so its wall time and RSS compare with the CLI's.
// argv[2]: JSON { directoryUrl, caBundleFile, httpPort, challtestsrvUrl, challenge, backoffMs?, certificates }
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Agent } from 'node:https';
import * as acme from 'acme-client';

const job = JSON.parse(process.argv[2]);
acme.axios.defaults.httpsAgent = new Agent({ ca: readFileSync(job.caBundleFile), keepAlive: true });

const tokens = new Map();
const server = createServer((req, res) => {
  const body = tokens.get(req.url.split('/').pop());
  res.writeHead(body === undefined ? 404 : 200).end(body);
});
if (job.challenge === 'http-01') await new Promise((ok) => server.listen(job.httpPort, '127.0.0.1', ok));

const challtestsrv = (path, body) =>
  fetch(`${job.challtestsrvUrl}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => {
    if (!r.ok) throw new Error(`challtestsrv ${path}: HTTP ${r.status}`);
  });

const client = new acme.Client({
  directoryUrl: job.directoryUrl,
  accountKey: await acme.crypto.createPrivateEcdsaKey(),
  ...(job.backoffMs ? { backoffMin: job.backoffMs } : {}),
});
for (const names of job.certificates) {
  const [, csr] = await acme.crypto.createCsr(
    { commonName: names[0], altNames: names },
    await acme.crypto.createPrivateEcdsaKey(),
  );
  await client.auto({
    csr,
    email: 'ops@example.test',
    termsOfServiceAgreed: true,
    challengePriority: [job.challenge],
    // The bench names resolve only in challtestsrv; the CA's validation is what counts.
    skipChallengeVerification: true,
    challengeCreateFn: async (authz, challenge, keyAuthorization) => {
      if (challenge.type === 'http-01') tokens.set(challenge.token, keyAuthorization);
      else
        await challtestsrv('/set-txt', {
          host: `_acme-challenge.${authz.identifier.value}.`,
          value: keyAuthorization,
        });
    },
    challengeRemoveFn: async (authz, challenge) => {
      if (challenge.type === 'http-01') tokens.delete(challenge.token);
      else await challtestsrv('/clear-txt', { host: `_acme-challenge.${authz.identifier.value}.` });
    },
  });
}
server.close();

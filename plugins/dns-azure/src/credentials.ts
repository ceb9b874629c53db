import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { ResolvedOptions } from './options.js';

/**
 * The Entra ID credential Resource Manager calls use: an app registration's client secret, or the host's managed
 * identity (system-assigned, or user-assigned when `clientId` is given). The managed-identity endpoint is found the
 * way @azure/identity finds it: App Service / Functions (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`), else IMDS
 * (`AZURE_POD_IDENTITY_AUTHORITY_HOST` overrides http://169.254.169.254). Constructing makes no request.
 */
export function createCredential(options: ResolvedOptions): TokenCredential {
  // One attempt per token request: the provider's own retry wraps the whole call.
  const transport = { retryOptions: { maxRetries: 0 } };
  if (options.authentication === 'clientSecret')
    return new ClientSecretCredential(options.tenantId!, options.clientId!, options.clientSecret!, {
      authorityHost: options.authorityHost,
      // Instance discovery asks login.microsoftonline.com about the authority; a private or sovereign authority
      // host (and a fake) answers for itself.
      disableInstanceDiscovery: options.authorityHost !== 'https://login.microsoftonline.com',
      ...(options.agent ? { agent: options.agent } : {}),
      ...transport,
    });
  // No HTTPS agent here: the managed-identity endpoints are plain HTTP on the host (IMDS, App Service).
  return new ManagedIdentityCredential({
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...transport,
  });
}

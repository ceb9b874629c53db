import type { Agent } from 'node:https';
import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';

/** Options of {@link azureDns}; the config-file keys are the same, except the code-only `agent` and `redactor`. */
export interface AzureDnsOptions {
  /** The subscription holding the DNS zones. Default $AZURE_SUBSCRIPTION_ID. */
  readonly subscriptionId?: string;
  /** Look for zones in this resource group only. Default: the whole subscription. */
  readonly resourceGroup?: string;
  /** Directory (tenant) id of the app registration. Default $AZURE_TENANT_ID. */
  readonly tenantId?: string;
  /** Application (client) id: of the app registration, or of a user-assigned managed identity. Default $AZURE_CLIENT_ID. */
  readonly clientId?: string;
  /** The app registration's client secret. Default $AZURE_CLIENT_SECRET. Without one, a managed identity is used. */
  readonly clientSecret?: string;
  /** `clientSecret` or `managedIdentity`. Default: `clientSecret` when a secret is given, else `managedIdentity`. */
  readonly authentication?: 'clientSecret' | 'managedIdentity';
  /** Resource Manager endpoint. Default `https://management.azure.com` (sovereign clouds have their own). */
  readonly armEndpoint?: string;
  /** Entra ID (AAD) authority host. Default `https://login.microsoftonline.com`. */
  readonly authorityHost?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Longest `Retry-After` waited inline after a 429 or 5xx; longer waits fail at once with the time. Default 5000 ms. */
  readonly maxRetryWaitMs?: number;
  /** (code only) HTTPS agent for Resource Manager and Entra ID, e.g. one trusting a private CA. */
  readonly agent?: Agent;
  /** (code only) Where the client secret is registered so no message repeats it. Default: the process's. */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly subscriptionId: string;
  readonly resourceGroup: string | undefined;
  readonly tenantId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly authentication: 'clientSecret' | 'managedIdentity';
  readonly armEndpoint: string;
  readonly authorityHost: string;
  readonly timeoutMs: number;
  readonly maxRetryWaitMs: number;
  readonly agent: Agent | undefined;
}

export const PROVIDER_NAME = 'azure';

/** @throws CertkeeperError INVALID_OPTION naming the option, never the secret. */
export function resolveOptions(options: AzureDnsOptions): ResolvedOptions {
  const subscriptionId = options.subscriptionId ?? process.env.AZURE_SUBSCRIPTION_ID;
  if (!subscriptionId?.trim())
    throw invalid('needs a subscription id', 'Set the subscriptionId option or AZURE_SUBSCRIPTION_ID.');
  const clientSecret = options.clientSecret ?? process.env.AZURE_CLIENT_SECRET;
  const authentication = options.authentication ?? (clientSecret ? 'clientSecret' : 'managedIdentity');
  if (authentication !== 'clientSecret' && authentication !== 'managedIdentity')
    throw invalid(
      'option authentication must be "clientSecret" or "managedIdentity"',
      'Leave it out to choose by whether clientSecret is set.',
    );
  const tenantId = options.tenantId ?? process.env.AZURE_TENANT_ID;
  const clientId = options.clientId ?? process.env.AZURE_CLIENT_ID;
  if (authentication === 'clientSecret' && (!tenantId || !clientId || !clientSecret))
    throw invalid(
      'needs tenantId, clientId and clientSecret for client-secret authentication',
      'Set them (or AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET), or use authentication: managedIdentity on an Azure host.',
    );
  return {
    subscriptionId,
    resourceGroup: options.resourceGroup,
    tenantId,
    clientId,
    clientSecret: authentication === 'clientSecret' ? clientSecret : undefined,
    authentication,
    armEndpoint: (options.armEndpoint ?? 'https://management.azure.com').replace(/\/+$/, ''),
    authorityHost: options.authorityHost ?? 'https://login.microsoftonline.com',
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
    agent: options.agent,
  };
}

function invalid(what: string, hint: string): CertkeeperError {
  return new CertkeeperError(ErrorCodes.INVALID_OPTION, `The Azure DNS provider ${what}.`, { hint });
}

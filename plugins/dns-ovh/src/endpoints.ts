/** The OVHcloud API endpoints (the SDK's names), each an HTTPS origin and the `/1.0` base path. */
export const OVH_ENDPOINTS = {
  'ovh-eu': 'https://eu.api.ovh.com/1.0',
  'ovh-ca': 'https://ca.api.ovh.com/1.0',
  'ovh-us': 'https://api.us.ovhcloud.com/1.0',
} as const;

export type OvhEndpoint = keyof typeof OVH_ENDPOINTS;

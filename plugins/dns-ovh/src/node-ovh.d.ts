// The SDK ships no types; this is the part of @ovhcloud/node-ovh 3 this provider uses (lib/ovh.js).
declare module '@ovhcloud/node-ovh' {
  interface OvhClientParams {
    readonly endpoint?: string;
    readonly appKey: string;
    readonly appSecret: string;
    readonly consumerKey: string;
    readonly host?: string;
    readonly port?: number;
    readonly basePath?: string;
    /** Socket inactivity limit, ms. */
    readonly timeout?: number;
  }
  /** The rejection of `requestPromised`: `error` is the HTTP status, an errno, or a message of the SDK. */
  interface OvhRejection {
    readonly error: unknown;
    readonly message?: unknown;
  }
  interface OvhClient {
    requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
  }
  function ovh(params: OvhClientParams): OvhClient;
  export default ovh;
  export type { OvhClient, OvhClientParams, OvhRejection };
}

export type { LiveEventName, LiveEvents } from '../api/live-events.js';
export type * from '../api/status-document.js';
export * from './access-guard.js';
export * from './live-feed.js';
export * from './page-assets.js';
export * from './security-headers.js';
export * from './status-page.js';

export * from './assert-order-fits-profile.js';
export * from './ip-profile-rule.js';
export * from './profile-rules.js';

export * from './assert-order-fits-profile.js';
export * from './profile-rules.js';

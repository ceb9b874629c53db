export { describeLeaseHolder, leaseHolderId, leaseHolderIsDead } from './lease-holder.js';

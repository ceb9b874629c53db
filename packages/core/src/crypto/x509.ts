// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API at
// import time. Importing the polyfill here, and x509 only through this module, guarantees the order.
import 'reflect-metadata';

export * from '@peculiar/x509';

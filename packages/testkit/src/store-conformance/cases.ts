import { concurrencyCases } from './concurrency-cases.js';
import { dueCases } from './due-cases.js';
import { durabilityCases } from './durability-cases.js';
import { leaseCases } from './lease-cases.js';
import { ledgerCases } from './ledger-cases.js';
import { managedCases } from './managed-cases.js';
import { orderCases } from './order-cases.js';
import { recordCases } from './record-cases.js';
import type { StoreConformanceCase } from './store-case.js';

/** Every case of the Store conformance suite, in the order they run. */
export const storeConformanceCases: readonly StoreConformanceCase[] = [
  ...recordCases,
  ...dueCases,
  ...orderCases,
  ...managedCases,
  ...ledgerCases,
  ...leaseCases,
  ...concurrencyCases,
  ...durabilityCases,
];

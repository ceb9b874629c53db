import type { StoreConformanceSubject } from './subject.js';

/** One framework-agnostic case: throws (node:assert) when the store breaks the port's contract. */
export interface StoreConformanceCase {
  readonly id: string;
  readonly title: string;
  run(subject: StoreConformanceSubject): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

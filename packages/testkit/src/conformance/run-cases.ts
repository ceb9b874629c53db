/** One conformance case: a named check against a fresh subject (a provider, a store...). */
export interface ConformanceCase<S> {
  readonly id: string;
  readonly title: string;
  run(subject: S): Promise<void>;
}

/** A subject built fresh for each case; `cleanup` runs after the case whether it passed or not. */
export interface ConformanceSubject {
  readonly cleanup?: () => Promise<void>;
}

export interface ConformanceOutcome {
  readonly id: string;
  readonly title: string;
  readonly passed: boolean;
  readonly error?: unknown;
}

/** Runs one case against a fresh subject, cleaning up even when it fails. Test-framework adapters call this. */
export async function runCase<S extends ConformanceSubject>(
  testCase: ConformanceCase<S>,
  factory: () => Promise<S> | S,
): Promise<void> {
  const subject = await factory();
  try {
    await testCase.run(subject);
  } finally {
    await subject.cleanup?.();
  }
}

/** Runs every case in sequence without a test framework (for node:test, Jest, or a CLI check). */
export async function runCases<S extends ConformanceSubject>(
  cases: readonly ConformanceCase<S>[],
  factory: () => Promise<S> | S,
): Promise<ConformanceOutcome[]> {
  const outcomes: ConformanceOutcome[] = [];
  for (const testCase of cases) {
    try {
      await runCase(testCase, factory);
      outcomes.push({ id: testCase.id, title: testCase.title, passed: true });
    } catch (error) {
      outcomes.push({ id: testCase.id, title: testCase.title, passed: false, error });
    }
  }
  return outcomes;
}

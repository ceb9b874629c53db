/** This package's version; test/plugins/provider-table.test.ts keeps it equal to package.json. */
export const VERSION = '0.1.0';

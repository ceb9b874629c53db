/** This package's version; a spec keeps it equal to package.json (a rootDir-bound build cannot import it). */
export const VERSION = '0.1.0';

export { type CertificateFilePaths, certificateFiles } from './certificate-files.js';
export { defaultStoreDirectory } from './default-directory.js';
export type { FileLockOptions } from './file-lock.js';
export { FileStore, type FileStoreOptions } from './file-store.js';
export { certificateDirectoryName } from './safe-name.js';

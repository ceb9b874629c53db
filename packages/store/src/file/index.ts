export { type CertificateFilePaths, certificateFiles } from './certificate-files.js';
export { defaultStoreDirectory } from './default-directory.js';
/** The FileStore's durable write (temporary file, fsync, rename, directory fsync), for other files kept secret. */
export { writeFileDurably } from './durable-fs.js';
export type { FileLockOptions } from './file-lock.js';
export { FileStore, type FileStoreOptions } from './file-store.js';
export { certificateDirectoryName } from './safe-name.js';

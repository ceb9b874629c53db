export { type CertificateFilePaths, certificateFiles } from './certificate-files.js';
export { defaultStoreDirectory } from './default-directory.js';
/** The FileStore's durable write (temporary file, fsync, rename, directory fsync), for other files kept secret. */
export { syncDirectory, writeAndSync, writeFileDurably } from './durable-fs.js';
/** Cross-process locks in a directory (the CLI serialises switches of one output directory with them). */
export { type FileLockOptions, FileLocks } from './file-lock.js';
export { FileStore, type FileStoreOptions } from './file-store.js';
export { certificateDirectoryName } from './safe-name.js';

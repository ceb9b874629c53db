export { encodedForms } from './secret-encodings.js';
export {
  looksLikeSecretName,
  MIN_SECRET_LENGTH,
  processSecretRedactor,
  REDACTED,
  SecretRedactor,
} from './secret-redactor.js';

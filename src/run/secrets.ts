/** Secrets: sources (inline, env, file), parsing, and the store. Values never leave except through `get`. */
export { SecretsStore } from './secrets/secrets-store.js';
export type { SecretSourceRecord, SecretsStoreOptions } from './secrets/secrets-store.js';
export { parseSecretSpec } from './secrets/parse-secret-spec.js';
export type { SecretSpec } from './secrets/parse-secret-spec.js';
export { parseSecretsFile, expandEnvVars } from './secrets/parse-secrets-file.js';
export { SECRET_KINDS, checkSecretKind } from './secrets/secret-kind.js';
export type { SecretKind } from './secrets/secret-kind.js';

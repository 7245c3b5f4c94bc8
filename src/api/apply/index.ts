/**
 * Server-side apply and managedFields tracking. The API server uses {@link FieldManager} on every
 * write, {@link decodeApplyPatch} and {@link checkAppliedObject} around apply patches, and the
 * helpers of manager-name.ts for request options; field sets and FieldsV1 are exported for tools
 * and tests.
 */
export { FieldManager, defaultResetFields, BEFORE_FIRST_APPLY, ANCIENT_CHANGES, DEFAULT_MAX_UPDATE_MANAGERS } from './field-manager.js';
export type { FieldManagerOptions, WriteScope } from './field-manager.js';
export { decodeApplyPatch } from './apply-body.js';
export { managerOrUserAgent, prefixFromUserAgent, validateFieldManager, validateWriteOptions, optionsInvalid, FIELD_MANAGER_MAX_LENGTH } from './manager-name.js';
export type { OptionsKind } from './manager-name.js';
export { FieldSet, FieldsV1Error } from './field-set.js';
export type { FieldsV1 } from './field-set.js';
export { fieldSetOf, encodeFieldsV1, decodeFieldsV1 } from './fieldsets.js';
export type { ManagedFieldsEntry, Operation } from './managed-fields.js';
export { LAST_APPLIED_ANNOTATION } from './last-applied.js';
export { checkAppliedObject } from './applied-object.js';
export type { AppliedTarget } from './applied-object.js';

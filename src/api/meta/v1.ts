import { bool, field, i64, listOf, mapOf, rawJson, ref, str, time, type TypeDef } from '../schema/shapes.js';

/** The package prefix of meta/v1 type names. */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** meta/v1 types every object uses: ObjectMeta and what it holds, ListMeta, DeleteOptions. */
export const META_V1_TYPES: TypeDef[] = [
  {
    name: `${META}.ObjectMeta`,
    description: 'Metadata every persisted object has: its name, namespace, identity, labels and lifecycle marks.',
    fields: [
      field('name', 1, str, 'The name, unique among objects of this kind in the namespace.'),
      field('generateName', 2, str, 'A prefix from which the server makes a unique name when name is empty.'),
      field('namespace', 3, str, 'The namespace the object lives in; empty for cluster-scoped objects.'),
      field('selfLink', 4, str, 'Deprecated and never set.'),
      field('uid', 5, str, 'The identity the server gave the object when it was created; never reused.'),
      field('resourceVersion', 6, str, 'An opaque version of the object, changed by every write; used for optimistic concurrency and watches.'),
      field('generation', 7, i64, 'A counter of changes to the desired state, for resources that keep one.'),
      field('creationTimestamp', 8, time, 'When the server created the object.'),
      field('deletionTimestamp', 9, time, 'When deletion was requested; set by the server, the object goes once its finalizers are gone.'),
      field('deletionGracePeriodSeconds', 10, i64, 'Seconds the object is given to terminate gracefully.', { keepZero: true }),
      field('labels', 11, mapOf(str), 'Key-value pairs for selecting and grouping objects.'),
      field('annotations', 12, mapOf(str), 'Key-value pairs for tools and people; not used for selection.'),
      field('ownerReferences', 13, listOf(ref(`${META}.OwnerReference`), { listType: 'map', listMapKeys: ['uid'], patchStrategy: 'merge', patchMergeKey: 'uid' }), 'Objects this one depends on; the garbage collector removes it when they are gone.'),
      field('finalizers', 14, listOf(str, { listType: 'set', patchStrategy: 'merge' }), 'Names of parties that must finish their work before the object is removed.'),
      field('managedFields', 17, listOf(ref(`${META}.ManagedFieldsEntry`), { listType: 'atomic' }), 'Which manager owns which fields, as recorded by the server.'),
    ],
  },
  {
    name: `${META}.OwnerReference`,
    description: 'A reference to an object that owns this one.',
    fields: [
      field('apiVersion', 5, str, 'The API version of the owner.'),
      field('kind', 1, str, 'The kind of the owner.'),
      field('name', 3, str, 'The name of the owner.'),
      field('uid', 4, str, 'The uid of the owner.'),
      field('controller', 6, bool, 'True when the owner is the managing controller.', { keepZero: true }),
      field('blockOwnerDeletion', 7, bool, 'True when foreground deletion of the owner waits for this object.', { keepZero: true }),
    ],
  },
  {
    name: `${META}.ManagedFieldsEntry`,
    description: 'One manager\'s ownership of a set of fields.',
    fields: [
      field('manager', 1, str, 'Who manages the fields.'),
      field('operation', 2, str, 'Apply or Update.'),
      field('apiVersion', 3, str, 'The API version the fields are described in.'),
      field('time', 4, time, 'When the manager last changed the set.'),
      field('fieldsType', 6, str, 'The format of fieldsV1; always FieldsV1.'),
      field('fieldsV1', 7, rawJson, 'The set of fields, as a trie of field paths.'),
      field('subresource', 8, str, 'The subresource the fields were written through, if any.'),
    ],
  },
  {
    name: `${META}.ListMeta`,
    description: 'Metadata of a list answer.',
    fields: [
      field('selfLink', 1, str, 'Deprecated and never set.'),
      field('resourceVersion', 2, str, 'The version of the collection the list was read at.'),
      field('continue', 3, str, 'A token that fetches the next page of the same list.'),
      field('remainingItemCount', 4, i64, 'How many items the following pages hold, when known.', { keepZero: true }),
    ],
  },
  {
    name: `${META}.Preconditions`,
    description: 'Conditions a delete checks before it proceeds.',
    fields: [
      field('uid', 1, str, 'The uid the object must have.'),
      field('resourceVersion', 2, str, 'The resourceVersion the object must have.'),
    ],
  },
  {
    name: `${META}.DeleteOptions`,
    description: 'Options of a delete.',
    gvk: { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' },
    fields: [
      field('gracePeriodSeconds', 1, i64, 'Seconds the object is given to terminate; 0 deletes at once.', { keepZero: true }),
      field('preconditions', 2, ref(`${META}.Preconditions`), 'Conditions the object must meet to be deleted.'),
      field('orphanDependents', 3, bool, 'Deprecated: use propagationPolicy.', { keepZero: true }),
      field('propagationPolicy', 4, str, 'What happens to dependents: Orphan, Background or Foreground.'),
      field('dryRun', 5, listOf(str, { listType: 'atomic' }), 'All: check the delete without performing it.'),
    ],
  },
];

import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { HPA_COLUMNS, hpaCells, horizontalPodAutoscalersV2 } from './hpa-v2.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion.js';

const v2 = horizontalPodAutoscalersV2.strategy;

/**
 * autoscaling/v1 HorizontalPodAutoscaler: the CPU-only view of the autoscalers stored as
 * autoscaling/v2, served through conversion. Its strategy works on the v2 form, as upstream's
 * works on the internal one (field paths in errors are those of v2).
 */
export const horizontalPodAutoscalersV1: ResourceDefinition = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  subresources: ['status'],
  table: { columns: HPA_COLUMNS, cells: (obj, now) => hpaCells(hpaV1ToV2(obj), now) },
  storedAs: { version: 'v2', toStored: hpaV1ToV2, fromStored: hpaV2ToV1 },
  strategy: {
    defaults(obj: ApiObject) {
      obj.spec ??= {};
      obj.spec.minReplicas ??= 1;
    },
    prepareForCreate: () => {},
    prepareForUpdate: () => {},
    validate: (obj) => v2.validate(hpaV1ToV2(obj)),
    validateUpdate: (obj, old) => v2.validateUpdate(hpaV1ToV2(obj), hpaV1ToV2(old)),
  },
};

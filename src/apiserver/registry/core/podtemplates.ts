import { ALL_VERBS, type ResourceDefinition } from '../resource.js';
import { formatLabels, templateContainerCells } from '../printing.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod-spec.js';

/** core/v1 PodTemplate: a stored pod template (`template`), generation-tracked. */
export const podTemplates: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  tracksGeneration: true,
  table: {
    columns: [
      { name: 'Containers', type: 'string', description: 'The names of the containers of the template.' },
      { name: 'Images', type: 'string', description: 'The images of the containers of the template.' },
      { name: 'Pod Labels', type: 'string', description: 'The labels of the pods made from the template.' },
    ],
    cells(obj) {
      const [names, images] = templateContainerCells(obj.template);
      return [names, images, formatLabels(obj.template?.metadata?.labels)];
    },
  },
  strategy: {
    defaults(obj) {
      if (typeof obj.template !== 'object' || obj.template === null) obj.template = {};
      defaultPodTemplateSpec(obj.template);
    },
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: (obj) => validatePodTemplateSpec(obj.template, 'template'),
    validateUpdate: (obj) => validatePodTemplateSpec(obj.template, 'template'),
  },
};

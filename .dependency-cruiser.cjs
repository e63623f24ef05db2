// Import rules of src/ and simulator/ (the design's layers: cli -> pipeline -> connectors, steps, destinations,
// checkpoint -> core;
// no cycles). `npm run lint` runs them: `depcruise src simulator --config .dependency-cruiser.cjs`.
// Type-only imports count (tsPreCompilationDeps): a type cycle is still a cycle between the modules' meanings.

/** Folders that may import only src/core and (files of) themselves. */
const LEAF_FOLDERS = 'steps|destinations|checkpoint|connectors';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles among the files of src/ (type-only imports included).',
      from: { path: '^src/' },
      to: { path: '^src/', circular: true },
    },
    {
      name: 'core-imports-no-src',
      severity: 'error',
      comment: 'src/core is the bottom layer: it imports nothing else from src/.',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'leaf-folders-import-only-core',
      severity: 'error',
      comment:
        'src/steps, src/destinations, src/checkpoint and src/connectors import only src/core and their own folder.',
      from: { path: `^src/(${LEAF_FOLDERS})/` },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/$1/'] },
    },
    {
      name: 'steps-import-no-other-step',
      severity: 'error',
      comment: 'One step (partition, chunk, embed) does not import another; what they share belongs in src/core.',
      from: { path: '^src/steps/([^/]+)/' },
      to: { path: '^src/steps/', pathNot: '^src/steps/$1/' },
    },
    {
      name: 'leaf-folders-no-temporal',
      severity: 'error',
      comment: 'Steps, destinations and the checkpoint know nothing of Temporal.',
      from: { path: '^src/(steps|destinations|checkpoint)/' },
      to: { path: '(^|/)node_modules/@temporalio/' },
    },
    {
      name: 'connectors-temporal-common-only',
      severity: 'error',
      comment: 'A connector may shape its failures for Temporal (@temporalio/common), and no more of Temporal.',
      from: { path: '^src/connectors/' },
      to: { path: '(^|/)node_modules/@temporalio/', pathNot: '(^|/)node_modules/@temporalio/common/' },
    },
    {
      name: 'pipeline-imports-no-cli',
      severity: 'error',
      comment: 'The pipeline (workflows, activities) does not depend on the command line.',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'temporal-imports-only-core',
      severity: 'error',
      comment: 'src/temporal (dev server, codec, connection, search attributes) imports only src/core from src/.',
      from: { path: '^src/temporal/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/temporal/'] },
    },
    {
      name: 'simulator-imports-no-src',
      severity: 'error',
      comment: 'The simulator stands alone: it imports nothing from src/.',
      from: { path: '^simulator/' },
      to: { path: '^src/' },
    },
    {
      name: 'src-imports-simulator-only-from-cli',
      severity: 'error',
      comment: 'Only the CLI (its `simulator` and `demo` commands) imports the simulator.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^simulator/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

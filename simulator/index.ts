// Public API of the Confluence simulator.
export { startSimulator } from './server';
export { describeSimulator } from './describe';
export type { RunningSimulator, SimulatorCredentials } from './server';
export { SimulatorOptionsSchema, parseSimulatorOptions } from './options';
export type { SimulatorOptions, SimulatorOptionsInput } from './options';
export type { SimSite, PageEdit, NewPage } from './site';
export type { SimStats } from './stats';
export type { FaultOptions, FaultOptionsInput } from './faults/options';
export type { FaultCounters } from './faults/injector';
export type * from './model';

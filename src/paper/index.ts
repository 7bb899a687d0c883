/** Numbers reported by the papers (datasets/paper/*.csv): typed rows, danfojs frames, views. */
export * from './csv';
export * from './danfo';
export { projectRoot, projectPath } from '../engine/paths';
export * from './reported';
export * from './views';
export * from './frames';
export * from './paperB';

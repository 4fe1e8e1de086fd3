export * from './fromDianjin';
export * from './fromIce';
export * from './types';

// Moved to the package for dapps (js/, `@gpow/api/definitions`); this re-export goes once every
// test imports the package.
export * from '../../js/src/definitions.mjs';

export { createGenesysClient, type GenesysClient, type GenesysClientOptions } from './client.js';
export { type GenesysEndpoints, resolveGenesysDomain, resolveGenesysEndpoints } from './region.js';

export { createGenesysClient, type GenesysClient, type GenesysClientOptions } from './client.js';
export { directPresenceReader } from './direct-reader.js';
export { type GenesysEndpoints, resolveGenesysDomain, resolveGenesysEndpoints } from './region.js';

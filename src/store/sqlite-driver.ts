/**
 * The better-sqlite3 build for this Node version. No single major runs on every supported Node: 12 is the
 * last that works on Node 20 (13 crashes there), and from Node 24.19 on, 12's statements abort the process
 * when the garbage collector finalizes them (`RemoveEnvironmentCleanupHook … (env) != nullptr`), which 13
 * (Node-API, no ObjectWrap) does not. Both are installed; the API the store uses is the same in both.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const nodeMajor = Number(process.versions.node.split('.')[0]);

export const Database: typeof BetterSqlite3 = require(nodeMajor >= 22 ? 'better-sqlite3-13' : 'better-sqlite3');

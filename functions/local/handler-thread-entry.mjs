// A function thread's entry (handler-pool.ts). Node loads .ts only through tsx, and a worker thread does not inherit
// the loader hooks its parent registered at run time (vitest's, or a `register()` call), so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./handler-thread.ts');

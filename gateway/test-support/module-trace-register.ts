/** `node --import <this file>`: installs module-trace-hooks.ts in the process. */
import { register } from 'node:module';

register('./module-trace-hooks.js', import.meta.url);

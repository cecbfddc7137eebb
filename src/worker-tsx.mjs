// Runs a TypeScript worker script from the sources (see worker-script.ts): registers tsx in this
// thread, then loads the script whose URL is the last argument. Never used by the built package.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[process.argv.length - 1]);

#!/usr/bin/env node
import('../dist/runner/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('curator: the runner is not built; run `npm run build` in the project folder first');
    process.exit(2);
  }
  throw err;
});

/**
 * Lets a plain `node` child process require the repository's TypeScript sources (the jest tests spawn
 * helper scripts with `node -r ./tests/localnet/helpers/ts-register.js helper.ts`). Transpile-only,
 * like ts-jest with isolatedModules; type checking is `npm run typecheck`'s job.
 */
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      isolatedModules: true,
      sourceMap: false,
    },
  });
  module._compile(outputText, filename);
};

/**
 * `node -r ./test/helpers/ts-require.js file.ts`: loads the project's TypeScript in a child
 * process (memory tests measure a process of their own), transpiled with TypeScript's
 * transpileModule and the project's compiler options; no type check (`npm run typecheck` does that).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');
const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config ?? {};
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions ?? {}, root);
const compilerOptions = {
	...options,
	sourceMap: false,
	inlineSourceMap: true,
	declaration: false,
	noEmit: false,
};

// .ts is tried first: "./SalesforceAdmin.node" must find SalesforceAdmin.node.ts, not the
// codex SalesforceAdmin.node.json next to it (node tries extensions in the order registered).
const others = Object.entries(require.extensions);
for (const [extension] of others) delete require.extensions[extension];
require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};
for (const [extension, loader] of others) require.extensions[extension] = loader;

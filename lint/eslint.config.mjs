// n8n's current lint rules for community packages, in strict mode (the `recommended` config, which
// n8n Cloud verification uses), over the package's sources and package.json. Run from the
// repository root with `npm run lint:n8n`. Exceptions are listed below with the reason; the
// README lists them too.
import tseslint from 'typescript-eslint';
import { configs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default tseslint.config(
	{ ignores: ['**/dist/**', '**/node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'e2e/**', 'lint/**', '**/*.js'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
		// the older n8n rule set (run by `npm run lint`) is known here, so its disable comments resolve
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		// the package.json rules read it as a JavaScript object expression, as n8n's CLI does
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
	},
	configs.recommended,
);
